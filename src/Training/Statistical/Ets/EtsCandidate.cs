namespace Forecasting.Training.Statistical.Ets;

/// <summary>One model tried by the automatic choice, R's short name (e.g. MAdM) and its AICc; null when it could not be fitted.</summary>
public sealed record EtsCandidate(string Model, double? Aicc);
