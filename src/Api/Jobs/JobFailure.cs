using Forecasting.Domain;

namespace Forecasting.Api.Jobs;

/// <summary>The sentence a failed job shows its user: the model's own words when it refused the input, else a pointer to the logs.</summary>
public static class JobFailure
{
    public static string Describe(Exception error, string job, Guid id) => error switch
    {
        UserInputException or ArgumentException or InvalidOperationException => error.Message,
        _ => $"The {job} failed unexpectedly ({error.GetType().Name}: {error.Message}). Check the request's settings, or report it with id {id}.",
    };
}
