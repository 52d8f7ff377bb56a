namespace Forecasting.Training.Statistical;

/// <summary>The fit of one target of one series.</summary>
public sealed record UnivariateFit<TFit>(string Series, string Target, TFit Fit);
