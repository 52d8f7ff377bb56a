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
/// each candidate refitted before every window), or averages the ensemble's members (<c>mode: "ensemble"</c>). A
/// series with many zeros and no negative values is intermittent, and the intermittent-demand methods join the
/// candidates. The model's details say, per series, what was chosen and every candidate's score or why it had none.
/// </summary>
public sealed class AutoModelKind : StatisticalModelKind<AutoForecaster>
{
    /// <summary>A series is intermittent when at least this share of its training values is zero (and none is negative).</summary>
    private const double IntermittentZeroShare = 0.3;

    private const int DefaultWindows = 3;

    /// <summary>The methods selection chooses among, in the order that breaks ties.</summary>
    private static readonly IUnivariateKind[] Selectable =
        [new EtsModelKind(), new AutoSarimaModelKind(), new ThetaModelKind(), new SeasonalNaiveModelKind(), new NaiveModelKind()];

    /// <summary>The methods that join <see cref="Selectable"/> for an intermittent series.</summary>
    private static readonly IUnivariateKind[] IntermittentOnly = [new CrostonModelKind(), new TsbModelKind(), new AdidaModelKind(), new ImapaModelKind()];

    /// <summary>The ensemble's members: ETS, ARIMA and Theta, as StatsForecast's M3 experiment.</summary>
    private static readonly IUnivariateKind[] EnsembleMembers = [new EtsModelKind(), new AutoSarimaModelKind(), new ThetaModelKind()];

    private static readonly Dictionary<string, IUnivariateKind> ByName =
        Selectable.Concat(IntermittentOnly).Concat(EnsembleMembers).DistinctBy(k => k.Name).ToDictionary(k => k.Name);

    public override string Name => "auto";

    protected override IReadOnlyList<ModelField> Fields =>
    [
        new("mode", ModelFieldType.Choice, "select (the best candidate per series by cross-validation) or ensemble (the mean of the ensemble's members).")
            { Default = AutoMode.Select.ToWire(), Choices = WireNames.All(typeof(AutoMode)) },
        new("windows", ModelFieldType.Integer, "Cross-validation windows of one horizon each at the end of the training period.") { Default = DefaultWindows, Minimum = 1, Maximum = 20 },
        new("season", ModelFieldType.Integer, "The season length passed to the seasonal candidates; default from the frequency.") { Minimum = 1 },
    ];

    protected override IEnumerable<FieldError> ValidateModel(ModelSpec model, Frequency frequency, int shortestTraining)
    {
        if (model.Windows is < 1 or > 20) yield return new FieldError("model.windows", "windows must be between 1 and 20.");
        if (model.Season is < 1) yield return new FieldError("model.season", "season must be at least 1.");
    }

    protected override IEnumerable<FieldError> ValidateModel(TrainingRunSpec spec, Frequency frequency, int shortestTraining)
    {
        var errors = ValidateModel(spec.Model, frequency, shortestTraining).ToList();
        if (errors.Count > 0 || (spec.Model.Mode ?? AutoMode.Select) == AutoMode.Ensemble) return errors;
        var windows = spec.Model.Windows ?? DefaultWindows;
        var before = shortestTraining - windows * spec.Horizon;
        if (before < 2)
            errors.Add(new FieldError("model.windows",
                $"auto cross-validates over {windows} windows of {spec.Horizon} steps at the end of the training period; the shortest training period has {shortestTraining} observations, " +
                $"which leaves {Math.Max(0, before)} before the first window and at least 2 are needed. Use fewer windows, a shorter horizon or a longer training period."));
        return errors;
    }

    /// <summary>Without a request around it, auto cross-validates one season ahead.</summary>
    protected override AutoForecaster Fit(ReadOnlySpan<double> training, ModelSpec model, Frequency frequency, CancellationToken cancellationToken) =>
        Fit(training, model, frequency.SeasonOf(model.Season), frequency, cancellationToken);

    protected override AutoForecaster Fit(ReadOnlySpan<double> training, TrainingRunSpec spec, Frequency frequency, CancellationToken cancellationToken) =>
        Fit(training, spec.Model, spec.Horizon, frequency, cancellationToken);

    private static AutoForecaster Fit(ReadOnlySpan<double> training, ModelSpec model, int horizon, Frequency frequency, CancellationToken cancellationToken)
    {
        if ((model.Mode ?? AutoMode.Select) == AutoMode.Ensemble)
        {
            var members = new List<AutoMember>();
            var scores = new List<AutoCandidateScore>();
            foreach (var kind in EnsembleMembers)
            {
                var spec = CandidateSpec(kind, model);
                if (kind.Check(spec, frequency, training.Length).FirstOrDefault() is { } problem)
                    scores.Add(new AutoCandidateScore(kind.Name, null, problem.Message));
                else
                    members.Add(new AutoMember(kind.Name, kind.Fit(training, spec, frequency, cancellationToken)));
            }
            if (members.Count == 0)
                throw new UserInputException($"No member of auto's ensemble can be fitted to this series: {string.Join(" ", scores.Select(s => $"{s.Kind}: {s.NotScored}"))}");
            return new AutoForecaster(AutoMode.Ensemble, members, scores);
        }

        var candidates = IsIntermittent(training) ? [.. Selectable, .. IntermittentOnly] : Selectable;
        var scored = new List<AutoCandidateScore>();
        foreach (var kind in candidates) scored.Add(Score(kind, training, model, horizon, model.Windows ?? DefaultWindows, frequency, cancellationToken));
        var best = scored.Where(s => s.Mae is not null).MinBy(s => s.Mae)
            ?? throw new UserInputException($"auto could not score any candidate on this series: {string.Join(" ", scored.Select(s => $"{s.Kind}: {s.NotScored}"))}");
        var chosen = ByName[best.Kind];
        var fit = chosen.Fit(training, CandidateSpec(chosen, model), frequency, cancellationToken);
        return new AutoForecaster(AutoMode.Select, [new AutoMember(chosen.Name, fit)], scored);
    }

    /// <summary>A candidate's mean absolute error over the windows, each forecast from a refit on the data before it.</summary>
    private static AutoCandidateScore Score(IUnivariateKind kind, ReadOnlySpan<double> training, ModelSpec model, int horizon, int windows, Frequency frequency, CancellationToken cancellationToken)
    {
        var spec = CandidateSpec(kind, model);
        var first = training.Length - windows * horizon;
        if (kind.Check(spec, frequency, first).FirstOrDefault() is { } problem) return new AutoCandidateScore(kind.Name, null, problem.Message);
        double total = 0;
        for (var w = windows; w >= 1; w--)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var origin = training.Length - w * horizon;
            var before = training[..origin];
            IUnivariateForecaster fit;
            double[] mean;
            try
            {
                fit = kind.Fit(before, spec, frequency, cancellationToken);
                mean = fit.Forecast(before, horizon).Mean;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A candidate that cannot be fitted here is not chosen; the reason is reported with the scores.
                return new AutoCandidateScore(kind.Name, null, $"its fit before window {windows - w + 1} failed: {e.Message}");
            }
            for (var k = 0; k < horizon; k++) total += Math.Abs(training[origin + k] - mean[k]);
        }
        var mae = total / (windows * horizon);
        return double.IsFinite(mae) ? new AutoCandidateScore(kind.Name, mae, null) : new AutoCandidateScore(kind.Name, null, "its forecasts were not finite.");
    }

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
        new StoredAuto(fit.Mode, fit.Members.Select(m => new StoredMember(m.Kind, ByName[m.Kind].Save(m.Fit))).ToList(), fit.Scores.ToList()), StateJson);

    protected override AutoForecaster LoadFit(JsonElement state)
    {
        var stored = state.Deserialize<StoredAuto>(StateJson) ?? throw new InvalidDataException("A stored 'auto' fit is empty.");
        return new AutoForecaster(stored.Mode, stored.Members.Select(m => new AutoMember(m.Kind, Candidate(m.Kind).Load(m.Fit))).ToList(), stored.Scores);
    }

    private static IUnivariateKind Candidate(string name) => ByName.TryGetValue(name, out var kind)
        ? kind : throw new InvalidDataException($"A stored 'auto' fit names the method '{name}', which this version does not have.");

    private sealed record StoredAuto(AutoMode Mode, List<StoredMember> Members, List<AutoCandidateScore> Scores);

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
                why = f.Fit.Mode == AutoMode.Select
                    ? $"lowest cross-validation MAE of {f.Fit.Scores.Count(s => s.Mae is not null)} scored candidates"
                    : $"the mean of {f.Fit.Members.Count} ensemble members",
                scores = f.Fit.Scores.OrderBy(s => s.Mae ?? double.PositiveInfinity).ToList(),
            }).ToList(),
        };
}
