namespace Forecasting.Domain;

/// <summary>
/// A training request's <c>bounds</c>: the values a target can take (e.g. <c>{ "lower": 0 }</c> for counts). Points,
/// interval bounds and quantiles are served clipped to them, and the metrics score what is served. Clipping is
/// monotone, so bounds ordered before (quantiles, levels) stay ordered: they never cross.
/// </summary>
public sealed record ForecastBounds
{
    public double? Lower { get; init; }

    public double? Upper { get; init; }

    /// <summary>The value moved into [Lower, Upper].</summary>
    public double Clip(double value) => Math.Min(Upper ?? double.PositiveInfinity, Math.Max(Lower ?? double.NegativeInfinity, value));
}
