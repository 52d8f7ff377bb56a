using Forecasting.Domain;
using Forecasting.Training.Models;

namespace Forecasting.Training.Statistical.Theta;

/// <summary>
/// <c>theta</c>: the standard Theta method as R's <c>forecast::thetaf()</c> — a 90% autocorrelation test for the
/// season, classical multiplicative deseasonalisation where it passes, simple exponential smoothing with half the
/// trend slope as drift, reseasonalised (<see cref="ThetaModel"/>).
/// </summary>
public sealed class ThetaModelKind : StatisticalModelKind<ThetaModel>
{
    public override string Name => "theta";

    protected override FitCost Cost => FitCost.Light;

    protected override IReadOnlyList<ModelField> Fields =>
    [
        new("season", ModelFieldType.Integer, SeasonField.Description + " Tested on more than two seasons of data; the model summary says whether the series was found seasonal.") { Minimum = 0 },
    ];

    private static int SeasonOf(ModelSpec model, Frequency frequency) => frequency.SeasonOf(model.Season);

    protected override IEnumerable<FieldError> ValidateModel(ModelSpec model, Frequency frequency, int trainingLength)
    {
        var season = SeasonOf(model, frequency);
        if (model.Season < 0) yield return SeasonField.Negative;
        // A season asked for must be testable; the frequency's default is tested where the data allow, as thetaf does.
        else if (model.Season is > 1 && trainingLength <= 2 * season)
            yield return new FieldError("model.season", $"theta tests a season of {season} only on more than {2 * season} training observations; the training period has {trainingLength}. Use a shorter season or omit it.");
        if (trainingLength < ThetaModel.MinimumTraining)
            yield return new FieldError("split", $"theta needs at least {ThetaModel.MinimumTraining} training observations; the training period has {trainingLength}.");
    }

    protected override ThetaModel Fit(ReadOnlySpan<double> training, ModelSpec model, Frequency frequency, CancellationToken cancellationToken) =>
        ThetaModel.Fit(training, SeasonOf(model, frequency));

    /// <summary>α, ℓ₀ and the drift, and the free seasonal indices (they average one) where the series was deseasonalised.</summary>
    protected override int ParameterCount(ThetaModel fit) => 3 + (fit.Seasonal ? fit.Season - 1 : 0);

    protected override IReadOnlyDictionary<string, object>? Describe(IReadOnlyList<UnivariateFit<ThetaModel>> fits) =>
        new Dictionary<string, object> { ["fits"] = fits.Select(f => new { series = f.Series, target = f.Target, fit = f.Fit.Describe() }).ToList() };
}
