using Forecasting.Domain;
using Forecasting.Training.Models;

namespace Forecasting.Training.Statistical.Intermittent;

/// <summary>
/// <c>adida</c>: aggregate–disaggregate intermittent demand (StatsForecast's <c>ADIDA</c>): simple exponential smoothing
/// of the sums over buckets as long as the mean interval between demands, shared equally over the bucket's steps.
/// </summary>
public sealed class AdidaModelKind : IntermittentModelKind<AdidaModel>
{
    public override string Name => "adida";

    protected override IReadOnlyList<ModelField> Fields =>
    [
        Smoothing("alpha", "The smoothing constant of the aggregated series; default: per series, the one in [0.1, 0.3] with the least squared one-step errors (as StatsForecast).", null),
    ];

    protected override IEnumerable<FieldError> ValidateModel(ModelSpec model, Frequency frequency, int trainingLength) =>
        CheckSmoothing("alpha", model.Alpha);

    protected override AdidaModel Fit(ReadOnlySpan<double> training, ModelSpec model, Frequency frequency, CancellationToken cancellationToken) =>
        AdidaModel.Fit(training, model.Alpha);

    /// <summary>The aggregation level and α.</summary>
    protected override int ParameterCount(AdidaModel fit) => 2;

    protected override IReadOnlyDictionary<string, object>? Describe(IReadOnlyList<UnivariateFit<AdidaModel>> fits) =>
        new Dictionary<string, object>
        {
            ["fits"] = fits.Select(f => new { series = f.Series, target = f.Target, aggregationLevel = f.Fit.Level, alpha = f.Fit.Alpha }).ToList(),
        };
}
