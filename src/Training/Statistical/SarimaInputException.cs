namespace Forecasting.Training.Statistical;

/// <summary>
/// A SARIMA request that cannot be honoured as given (bad orders, unusable series, failed estimation).
/// The message is a sentence a user can act on; the service shows it as is.
/// </summary>
public sealed class SarimaInputException : ArgumentException
{
    public SarimaInputException(string message) : base(message) { }

    public SarimaInputException(string message, Exception inner) : base(message, inner) { }
}
