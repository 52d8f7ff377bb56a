namespace Forecasting.Api.Forecasts;

/// <summary>
/// One series' posted known-future rows: consecutive steps from <see cref="Start"/>, one array per known-future
/// column; <see cref="FirstRow"/> is the index of its first row in the request's <c>future</c> list (for errors).
/// </summary>
public sealed record PostedFuture(long Start, int Length, IReadOnlyDictionary<string, double[]> Values, int FirstRow);
