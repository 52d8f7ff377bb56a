namespace Forecasting.Domain;

/// <summary>
/// Input the service cannot use, found after the request was accepted or while a job runs (too little history
/// for a forecast, a dataset deleted under a queued run …). The message is a sentence for the user; requests
/// answer it as a 400 problem (field in <see cref="Field"/> when known) and jobs store it as their error.
/// </summary>
public class UserInputException(string message, string? field = null) : Exception(message)
{
    public string? Field { get; } = field;
}
