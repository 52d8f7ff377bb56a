using Forecasting.Api.Http;
using Forecasting.Domain;

namespace Forecasting.Api.Ledger;

/// <summary>The validation metrics of a stored model, read from its metrics JSON (the other sets in it are not needed here).</summary>
public sealed record ValidationFigures(MetricSet? Validation)
{
    public static ValidationFigures Read(string metricsJson) => ApiJson.Deserialize<ValidationFigures>(metricsJson);

    /// <summary>The target's validation metrics; null when the model was trained without a validation period.</summary>
    public TargetMetrics? Of(string target) => Validation?.ByTarget.GetValueOrDefault(target);
}
