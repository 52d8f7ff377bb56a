using Forecasting.Domain;

namespace Forecasting.Api.Jobs;

/// <summary>The sentence a failed job shows its user: the model's own words when it refused the input, else a pointer to the logs.</summary>
public static class JobFailure
{
    public static string Describe(Exception error, string job, Guid id) => error switch
    {
        UserInputException or ArgumentException or InvalidOperationException => error.Message,
        // Not the exception's own words: they name the service's internals, not anything the user sent. The log has them.
        _ => $"The {job} failed unexpectedly; the error was logged. Check the request's settings, or report it with id {id}.",
    };
}
