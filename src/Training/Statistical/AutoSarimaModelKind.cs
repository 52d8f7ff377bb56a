using System.Text.Json;
using Forecasting.Domain;
using Forecasting.Training.Models;

namespace Forecasting.Training.Statistical;

/// <summary>
/// <c>auto_sarima</c>: R's auto.arima search (see <see cref="AutoSarima"/>): d by KPSS, D by seasonal strength, p, q up to
/// 5 and P, Q up to 2 by AICc (season from <c>season</c>, else the frequency's default; 1 or 0 searches no seasonal
/// terms), stepwise by default or over the grid with <c>search: "grid"</c>, on long series comparing candidates by R's
/// conditional-sum-of-squares approximation (<c>approximation</c>) before refitting the chosen one exactly, and reports
/// the chosen orders and every candidate fitted with its score.
/// </summary>
public sealed class AutoSarimaModelKind : StatisticalModelKind<SarimaForecaster>
{
    public override string Name => "auto_sarima";

    protected override FitCost Cost => FitCost.Heavy;

    protected override bool TakesRegressors => true;

    protected override IReadOnlyList<ModelField> Fields =>
    [
        new("season", ModelFieldType.Integer, SeasonField.Description) { Minimum = 0 },
        new("search", ModelFieldType.Choice, "stepwise (Hyndman–Khandakar) or grid (every candidate).") { Default = "stepwise", Choices = WireNames.All(typeof(AutoSarimaSearch)) },
        new("approximation", ModelFieldType.Choice,
            "How candidates are compared, as R's auto.arima: auto approximates when the series has more than 150 observations or the season is above 12; " +
            "always compares every candidate by the AICc of a conditional-sum-of-squares fit; never fits every candidate by exact likelihood (slower on long series). " +
            "The chosen model is always refitted by exact maximum likelihood (the next best ones if it is rejected), so forecasts come from an exact fit.")
        { Default = "auto", Choices = WireNames.All(typeof(AutoSarimaApproximation)) },
    ];

    private static int SeasonOf(ModelSpec model, Frequency frequency) => frequency.SeasonOf(model.Season);

    private static AutoSarimaSearch SearchOf(ModelSpec model) => model.Search ?? AutoSarimaSearch.Stepwise;

    private static AutoSarimaApproximation ApproximationOf(ModelSpec model) => model.Approximation ?? AutoSarimaApproximation.Auto;

    protected override IEnumerable<FieldError> ValidateModel(ModelSpec model, Frequency frequency, int trainingLength)
    {
        var season = SeasonOf(model, frequency);
        if (model.Season < 0) yield return SeasonField.Negative;
        var smallest = new SarimaSpec(0, 0, 0, 0, season >= 2 ? 1 : 0, 0, season >= 2 ? season : 0);
        if (trainingLength < smallest.MinimumObservations)
            yield return new FieldError("split", $"auto_sarima with season {season} needs at least {smallest.MinimumObservations} training observations; the training period has {trainingLength}.");
    }

    protected override IEnumerable<FieldError> ValidateModel(TrainingRunSpec spec, Frequency frequency, int trainingLength)
    {
        foreach (var error in ValidateModel(spec.Model, frequency, trainingLength)) yield return error;
        if (spec.EffectiveKnownFuture.Count > 0 && ApproximationOf(spec.Model) == AutoSarimaApproximation.Always)
            yield return new FieldError("model.approximation", "The conditional-sum-of-squares approximation does not estimate regression coefficients; " +
                "with knownFuture, calendar or holidays use \"auto\" or \"never\" (both fit every candidate exactly).");
    }

    protected override SarimaForecaster Fit(ReadOnlySpan<double> training, IReadOnlyList<double[]>? regressors, TrainingRunSpec spec, Frequency frequency,
        CancellationToken cancellationToken)
    {
        if (regressors is null) return Fit(training, spec.Model, frequency, cancellationToken);
        var model = spec.Model;
        var result = AutoSarima.Search(training, regressors, SeasonOf(model, frequency), new AutoSarimaOptions(Search: SearchOf(model), Approximation: ApproximationOf(model)), cancellationToken);
        return new SarimaForecaster(result.Best, result.Candidates);
    }

    protected override SarimaForecaster Fit(ReadOnlySpan<double> training, ModelSpec model, Frequency frequency, CancellationToken cancellationToken)
    {
        var result = AutoSarima.Search(training, SeasonOf(model, frequency), new AutoSarimaOptions(Search: SearchOf(model), Approximation: ApproximationOf(model)), cancellationToken);
        return new SarimaForecaster(result.Best, result.Candidates);
    }

    // Every kept fit is saved with its standard errors: computed now, they release the likelihood they are computed from.
    protected override SarimaForecaster Kept(SarimaForecaster fit) => fit.WithStandardErrors();

    protected override int ParameterCount(SarimaForecaster fit) => fit.Fit.Spec.ParameterCount;

    protected override JsonElement SaveFit(SarimaForecaster fit) => JsonDocument.Parse(fit.Fit.Serialize()).RootElement.Clone();

    protected override SarimaForecaster LoadFit(JsonElement state) => new(SarimaFit.Deserialize(JsonSerializer.SerializeToUtf8Bytes(state)));

    protected override IReadOnlyDictionary<string, object>? Describe(IReadOnlyList<UnivariateFit<SarimaForecaster>> fits) =>
        new Dictionary<string, object>
        {
            ["fits"] = fits.Select(f => new
            {
                series = f.Series,
                target = f.Target,
                chosen = f.Fit.Describe(),
                candidates = f.Fit.Candidates?.OrderBy(c => c.Aicc ?? double.PositiveInfinity).Select(c => new
                {
                    order = new[] { c.Spec.ArOrder, c.Spec.Differences, c.Spec.MaOrder },
                    seasonalOrder = new[] { c.Spec.SeasonalArOrder, c.Spec.SeasonalDifferences, c.Spec.SeasonalMaOrder, c.Spec.Season },
                    includeConstant = c.Spec.IncludeConstant,
                    aicc = c.Aicc,
                    approximate = c.Approximate,
                    failure = c.Failure,
                }).ToList(),
            }).ToList(),
        };
}
