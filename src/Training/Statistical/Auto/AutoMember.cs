namespace Forecasting.Training.Statistical.Auto;

/// <summary>One method <c>auto</c> forecasts with: the kind's name and its fit on the training period.</summary>
public sealed record AutoMember(string Kind, IUnivariateForecaster Fit);
