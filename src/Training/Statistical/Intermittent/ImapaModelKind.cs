using Forecasting.Domain;
using Forecasting.Training.Models;

namespace Forecasting.Training.Statistical.Intermittent;

/// <summary>
/// <c>imapa</c>: the mean of ADIDA's forecasts at every aggregation level from 1 to the mean interval between demands
/// (StatsForecast's <c>IMAPA</c>).
/// </summary>
public sealed class ImapaModelKind : IntermittentModelKind<ImapaModel>
{
    public override string Name => "imapa";

    protected override IReadOnlyList<ModelField> Fields =>
    [
        Smoothing("alpha", "The smoothing constant of every aggregated series; default: per series and level, the one in [0.1, 0.3] with the least squared one-step errors (as StatsForecast).", null),
    ];

    protected override IEnumerable<FieldError> ValidateModel(ModelSpec model, Frequency frequency, int trainingLength) =>
        CheckSmoothing("alpha", model.Alpha);

    protected override ImapaModel Fit(ReadOnlySpan<double> training, ModelSpec model, Frequency frequency, CancellationToken cancellationToken) =>
        ImapaModel.Fit(training, model.Alpha);

    /// <summary>The largest aggregation level and an α per level.</summary>
    protected override int ParameterCount(ImapaModel fit) => 1 + fit.Levels;

    protected override IReadOnlyDictionary<string, object>? Describe(IReadOnlyList<UnivariateFit<ImapaModel>> fits) =>
        new Dictionary<string, object>
        {
            ["fits"] = fits.Select(f => new { series = f.Series, target = f.Target, aggregationLevels = f.Fit.Levels, alphas = f.Fit.Alphas }).ToList(),
        };
}
