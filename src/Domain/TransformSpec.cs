namespace Forecasting.Domain;

/// <summary>
/// A training request's <c>transform</c> (statistical kinds): each series is fitted on the transformed scale and its
/// forecasts come back on the original scale, as R's <c>forecast(..., lambda, biasadj)</c>.
/// </summary>
public sealed record TransformSpec
{
    [System.Text.Json.Serialization.JsonRequired]
    public TransformKind Kind { get; init; }

    /// <summary>boxcox: λ, a number or "auto" (required for boxcox; log1p takes none).</summary>
    public BoxCoxLambda? Lambda { get; init; }

    /// <summary>
    /// Whether point forecasts are the back-transformed mean (R's <c>biasadj = TRUE</c>) rather than the
    /// back-transformed median (default, as R). Interval bounds are the same either way.
    /// </summary>
    public bool? BiasAdjust { get; init; }
}
