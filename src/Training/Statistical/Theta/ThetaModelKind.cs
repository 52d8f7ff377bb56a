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

    protected override IReadOnlyList<ModelField> Fields =>
    [
        new("season", ModelFieldType.Integer, "The season length in steps to test for (1: none); default from the frequency (7 daily, 24 hourly, 12 monthly). Tested on more than two seasons of data; the model summary says whether the series was found seasonal.") { Minimum = 1 },
    ];

    private static int SeasonOf(ModelSpec model, Frequency frequency) => model.Season ?? frequency.DefaultSeason;

    protected override IEnumerable<FieldError> ValidateModel(ModelSpec model, Frequency frequency, int shortestTraining)
    {
        var season = SeasonOf(model, frequency);
        if (season < 1) yield return new FieldError("model.season", "season must be at least 1 (1: no season).");
        // A season asked for must be testable; the frequency's default is tested where the data allow, as thetaf does.
        else if (model.Season is > 1 && shortestTraining <= 2 * season)
            yield return new FieldError("model.season", $"theta tests a season of {season} only on more than {2 * season} training observations; the shortest training period has {shortestTraining}. Use a shorter season or omit it.");
        if (shortestTraining < ThetaModel.MinimumTraining)
            yield return new FieldError("split", $"theta needs at least {ThetaModel.MinimumTraining} training observations; the shortest training period has {shortestTraining}.");
    }

    protected override ThetaModel Fit(ReadOnlySpan<double> training, ModelSpec model, Frequency frequency, CancellationToken cancellationToken) =>
        ThetaModel.Fit(training, SeasonOf(model, frequency));

    /// <summary>α, ℓ₀ and the drift, and the free seasonal indices (they average one) where the series was deseasonalised.</summary>
    protected override int ParameterCount(ThetaModel fit) => 3 + (fit.Seasonal ? fit.Season - 1 : 0);

    protected override IReadOnlyDictionary<string, object>? Describe(IReadOnlyList<UnivariateFit<ThetaModel>> fits) =>
        new Dictionary<string, object> { ["fits"] = fits.Select(f => new { series = f.Series, target = f.Target, fit = f.Fit.Describe() }).ToList() };
}
