namespace Forecasting.Api.Deployment;

/// <summary>A start-up check refused to run the service; the message is the one line the operator sees.</summary>
public sealed class StartupRefusedException(string message) : Exception(message);
