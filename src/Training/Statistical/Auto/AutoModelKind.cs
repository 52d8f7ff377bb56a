using System.Text.Json;
using Forecasting.Domain;
using Forecasting.Training.Models;
using Forecasting.Training.Statistical.Ets;
using Forecasting.Training.Statistical.Intermittent;
using Forecasting.Training.Statistical.Theta;

namespace Forecasting.Training.Statistical.Auto;

/// <summary>
/// <c>auto</c>: one request for every series. Per series and target it either selects the candidate with the lowest
/// rolling-origin cross-validation MAE (<c>windows</c> windows of one horizon each at the end of the training period,
/// each candidate refitted before every window; the ensemble's mean is a candidate too), or averages the ensemble's
/// members (<c>mode: "ensemble"</c>). A series with many zeros and no negative values is intermittent, and the
/// intermittent-demand methods join the candidates. A series too short for the windows gets fewer; one too short for
/// a single window gets the ensemble. The model's details say, per series, what was chosen and every candidate's score
/// or why it had none.
/// </summary>
public sealed class AutoModelKind : StatisticalModelKind<AutoForecaster>
{
    /// <summary>A series is intermittent when at least this share of its training values is zero (and none is negative).</summary>
    private const double IntermittentZeroShare = 0.3;

    private const int DefaultWindows = 3;

    /// <summary>
    /// Observations before the first window, at least: ten, and two seasons (each candidate checks its own needs too).
    /// Fewer make a comparison of refits on a handful of points, which picks by chance.
    /// </summary>
    private const int FewestBeforeWindows = 10;

    /// <summary>The methods selection chooses among, in the order that breaks ties.</summary>
    private static readonly IUnivariateKind[] Selectable =
        [new EtsModelKind(), new AutoSarimaModelKind(), new ThetaModelKind(), new SeasonalNaiveModelKind(), new NaiveModelKind()];

    /// <summary>The methods that join <see cref="Selectable"/> for an intermittent series.</summary>
    private static readonly IUnivariateKind[] IntermittentOnly = [new CrostonModelKind(), new TsbModelKind(), new AdidaModelKind(), new ImapaModelKind()];

    /// <summary>The ensemble's members: ETS, ARIMA and Theta, as StatsForecast's M3 experiment.</summary>
    private static readonly IUnivariateKind[] EnsembleMembers = [new EtsModelKind(), new AutoSarimaModelKind(), new ThetaModelKind()];

    /// <summary>The name the ensemble's mean is scored under in selection.</summary>
    private const string EnsembleName = "ensemble";

    private static readonly Dictionary<string, IUnivariateKind> ByName =
        Selectable.Concat(IntermittentOnly).Concat(EnsembleMembers).DistinctBy(k => k.Name).ToDictionary(k => k.Name);

    public override string Name => "auto";

    protected override FitCost Cost => FitCost.Heavy;

    protected override IReadOnlyList<ModelField> Fields =>
    [
        new("mode", ModelFieldType.Choice, "select (the best candidate per series by cross-validation) or ensemble (the mean of the ensemble's members).")
            { Default = AutoMode.Select.ToWire(), Choices = WireNames.All(typeof(AutoMode)) },
        new("windows", ModelFieldType.Integer, "Cross-validation windows of one horizon each at the end of the training period.") { Default = DefaultWindows, Minimum = 1, Maximum = 20 },
        new("season", ModelFieldType.Integer, "The season length passed to the seasonal candidates; default from the frequency.") { Minimum = 1 },
    ];

    protected override IEnumerable<FieldError> ValidateModel(ModelSpec model, Frequency frequency, int trainingLength)
    {
        if (model.Windows is < 1 or > 20) yield return new FieldError("model.windows", "windows must be between 1 and 20.");
        if (model.Season is < 1) yield return new FieldError("model.season", "season must be at least 1.");
    }

    /// <summary>Without a request around it, auto cross-validates one season ahead.</summary>
    protected override AutoForecaster Fit(ReadOnlySpan<double> training, ModelSpec model, Frequency frequency, CancellationToken cancellationToken) =>
        Fit(training, model, frequency.SeasonOf(model.Season), frequency, cancellationToken);

    protected override AutoForecaster Fit(ReadOnlySpan<double> training, TrainingRunSpec spec, Frequency frequency, CancellationToken cancellationToken) =>
        Fit(training, spec.Model, spec.Horizon, frequency, cancellationToken);

    private static AutoForecaster Fit(ReadOnlySpan<double> training, ModelSpec model, int horizon, Frequency frequency, CancellationToken cancellationToken)
    {
        // A series too short for the windows asked gets as many as fit; one too short for a single window is not cross-validated.
        var fewestBefore = Math.Max(FewestBeforeWindows, 2 * frequency.SeasonOf(model.Season));
        var windows = Math.Min(model.Windows ?? DefaultWindows, (training.Length - fewestBefore) / horizon);
        if ((model.Mode ?? AutoMode.Select) == AutoMode.Ensemble) return Ensemble(training, model, frequency, AutoMode.Ensemble, "the mean of the ensemble's members", [], cancellationToken);
        if (windows < 1)
            return Ensemble(training, model, frequency, AutoMode.Select,
                $"the training period has {training.Length} observations, too few for one cross-validation window of {horizon} steps and {fewestBefore} " +
                "observations before it: the mean of the ensemble's members, the choice that is safest without a comparison", [], cancellationToken);

        var candidates = IsIntermittent(training) ? [.. Selectable, .. IntermittentOnly] : Selectable;
        var runs = new List<CandidateRun>();
        foreach (var kind in candidates) runs.Add(CrossValidate(kind, training, model, horizon, windows, frequency, cancellationToken));
        // The ensemble is a candidate too: its members' cross-validation forecasts averaged, at no further fit.
        var members = runs.Where(r => EnsembleMembers.Any(m => m.Name == r.Score.Kind) && r.Means is not null).ToList();
        if (members.Count == EnsembleMembers.Length)
            runs.Add(Evaluate(EnsembleName, training, horizon, windows,
                Average(members.Select(m => m.Means!).ToList(), windows, horizon), Average(members.Select(m => m.Variances!).ToList(), windows, horizon)));

        var best = runs.Where(r => r.Score.Mae is not null).MinBy(r => r.Score.Mae)
            ?? throw new UserInputException($"auto could not score any candidate on this series: {string.Join(" ", runs.Select(r => $"{r.Score.Kind}: {r.Score.NotScored}"))}");
        var scores = runs.Select(r => r.Score).ToList();
        var why = $"lowest cross-validation MAE of {runs.Count(r => r.Score.Mae is not null)} scored candidates over {windows} window{(windows == 1 ? "" : "s")} of {horizon} steps";
        var scale = Math.Max(1, best.VarianceRatio);
        if (best.Score.Kind == EnsembleName) return Ensemble(training, model, frequency, AutoMode.Select, $"{why}: the ensemble's mean", scores, cancellationToken, scale);
        var chosen = ByName[best.Score.Kind];
        var fit = chosen.Fit(training, CandidateSpec(chosen, model), frequency, cancellationToken);
        return new AutoForecaster(AutoMode.Select, [new AutoMember(chosen.Name, fit)], scores, why, scale);
    }

    /// <summary>The ensemble's members fitted to the training period (those that can be), to be averaged.</summary>
    private static AutoForecaster Ensemble(ReadOnlySpan<double> training, ModelSpec model, Frequency frequency, AutoMode mode, string why, List<AutoCandidateScore> scores,
        CancellationToken cancellationToken, double varianceScale = 1)
    {
        var members = new List<AutoMember>();
        var notFitted = new List<AutoCandidateScore>();
        foreach (var kind in EnsembleMembers)
        {
            var spec = CandidateSpec(kind, model);
            if (kind.Check(spec, frequency, training.Length).FirstOrDefault() is { } problem)
            {
                notFitted.Add(new AutoCandidateScore(kind.Name, null, problem.Message));
                continue;
            }
            try
            {
                members.Add(new AutoMember(kind.Name, kind.Fit(training, spec, frequency, cancellationToken)));
            }
            catch (Exception e) when (e is UserInputException or SarimaInputException or InvalidOperationException)
            {
                notFitted.Add(new AutoCandidateScore(kind.Name, null, $"its fit failed: {e.Message}"));
            }
        }
        if (members.Count == 0)
            throw new UserInputException($"No member of auto's ensemble can be fitted to this series: {string.Join(" ", notFitted.Select(s => $"{s.Kind}: {s.NotScored}"))}");
        var left = notFitted.Count == 0 ? "" : $" ({string.Join(", ", members.Select(m => m.Kind))}; {string.Join(", ", notFitted.Select(s => s.Kind))} could not be fitted)";
        return new AutoForecaster(mode, members, [.. scores, .. notFitted.Where(n => scores.All(s => s.Kind != n.Kind))], why + left, varianceScale);
    }

    /// <summary>A candidate's forecasts of each window, each from a refit on the data before it.</summary>
    private static CandidateRun CrossValidate(IUnivariateKind kind, ReadOnlySpan<double> training, ModelSpec model, int horizon, int windows, Frequency frequency, CancellationToken cancellationToken)
    {
        var spec = CandidateSpec(kind, model);
        var first = training.Length - windows * horizon;
        if (kind.Check(spec, frequency, first).FirstOrDefault() is { } problem) return new CandidateRun(new AutoCandidateScore(kind.Name, null, problem.Message), double.NaN, null, null);
        var means = new double[windows][];
        var variances = new double[windows][];
        for (var w = 0; w < windows; w++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var before = training[..(first + w * horizon)];
            try
            {
                (means[w], variances[w]) = kind.Fit(before, spec, frequency, cancellationToken).Forecast(before, horizon);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A candidate that cannot be fitted here is not chosen; the reason is reported with the scores.
                return new CandidateRun(new AutoCandidateScore(kind.Name, null, $"its fit before window {w + 1} failed: {e.Message}"), double.NaN, null, null);
            }
        }
        return Evaluate(kind.Name, training, horizon, windows, means, variances);
    }

    /// <summary>
    /// The mean absolute error of a candidate's window forecasts, and the mean of its squared errors over its own forecast
    /// variances (1 when the variances are right).
    /// </summary>
    private static CandidateRun Evaluate(string kind, ReadOnlySpan<double> training, int horizon, int windows, double[][] means, double[][] variances)
    {
        var first = training.Length - windows * horizon;
        double total = 0, ratios = 0;
        var scaled = 0;
        for (var w = 0; w < windows; w++)
            for (var k = 0; k < horizon; k++)
            {
                var error = training[first + w * horizon + k] - means[w][k];
                total += Math.Abs(error);
                if (variances[w][k] > 0)
                {
                    ratios += error * error / variances[w][k];
                    scaled++;
                }
            }
        var mae = total / (windows * horizon);
        return double.IsFinite(mae)
            ? new CandidateRun(new AutoCandidateScore(kind, mae, null), scaled > 0 ? ratios / scaled : 1, means, variances)
            : new CandidateRun(new AutoCandidateScore(kind, null, "its forecasts were not finite."), double.NaN, null, null);
    }

    private static double[][] Average(List<double[][]> rows, int windows, int horizon) =>
        Enumerable.Range(0, windows).Select(w => Enumerable.Range(0, horizon).Select(k => rows.Average(r => r[w][k])).ToArray()).ToArray();

    /// <summary>One candidate's cross-validation: its score, variance ratio and window forecasts (null when not scored).</summary>
    private sealed record CandidateRun(AutoCandidateScore Score, double VarianceRatio, double[][]? Means, double[][]? Variances);

    /// <summary>The request a candidate gets: its own kind, and the season where it reads one.</summary>
    private static ModelSpec CandidateSpec(IUnivariateKind kind, ModelSpec model) => new()
    {
        Kind = kind.Name,
        Season = kind.Traits.Fields.Any(f => f.Name == "season") ? model.Season : null,
    };

    private static bool IsIntermittent(ReadOnlySpan<double> training)
    {
        var zeros = 0;
        foreach (var value in training)
        {
            if (value < 0) return false;
            if (value == 0) zeros++;
        }
        return training.Length > 0 && zeros >= IntermittentZeroShare * training.Length;
    }

    protected override int ParameterCount(AutoForecaster fit) => fit.Members.Sum(m => ByName[m.Kind].CountParameters(m.Fit));

    protected override JsonElement SaveFit(AutoForecaster fit) => JsonSerializer.SerializeToElement(
        new StoredAuto(fit.Mode, fit.Members.Select(m => new StoredMember(m.Kind, ByName[m.Kind].Save(m.Fit))).ToList(), fit.Scores.ToList(), fit.Why, fit.VarianceScale), StateJson);

    protected override AutoForecaster LoadFit(JsonElement state)
    {
        var stored = state.Deserialize<StoredAuto>(StateJson) ?? throw new InvalidDataException("A stored 'auto' fit is empty.");
        return new AutoForecaster(stored.Mode, stored.Members.Select(m => new AutoMember(m.Kind, Candidate(m.Kind).Load(m.Fit))).ToList(), stored.Scores, stored.Why, stored.VarianceScale);
    }

    private static IUnivariateKind Candidate(string name) => ByName.TryGetValue(name, out var kind)
        ? kind : throw new InvalidDataException($"A stored 'auto' fit names the method '{name}', which this version does not have.");

    /// <summary>Fits stored before <c>Why</c> and <c>VarianceScale</c> existed read as unexplained and unscaled.</summary>
    private sealed record StoredAuto(AutoMode Mode, List<StoredMember> Members, List<AutoCandidateScore> Scores, string Why = "", double VarianceScale = 1);

    private sealed record StoredMember(string Kind, JsonElement Fit);

    protected override IReadOnlyDictionary<string, object>? Describe(IReadOnlyList<UnivariateFit<AutoForecaster>> fits) =>
        new Dictionary<string, object>
        {
            ["fits"] = fits.Select(f => new
            {
                series = f.Series,
                target = f.Target,
                mode = f.Fit.Mode.ToWire(),
                chosen = f.Fit.Members.Select(m => m.Kind).ToList(),
                why = f.Fit.Why,
                varianceScale = f.Fit.VarianceScale,
                scores = f.Fit.Scores.OrderBy(s => s.Mae ?? double.PositiveInfinity).ToList(),
            }).ToList(),
        };
}
