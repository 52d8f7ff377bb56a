using System.Text.Json;
using Forecasting.Domain;
using Forecasting.Training.Models;

namespace Forecasting.Training.Statistical;

/// <summary>
/// Shared behaviour of the statistical kinds: one univariate fit per (series, target) on the training
/// period; validation and test metrics forecast every target in the period from all observations
/// before it, with the parameters fitted on the training period (no refit), as API.md specifies.
/// </summary>
public abstract class StatisticalModelKind<TFit> : IModelKind where TFit : IUnivariateForecaster
{
    public abstract string Name { get; }

    /// <summary>Kind-specific checks of the request (season, orders …), given the shortest training period.</summary>
    protected abstract IEnumerable<FieldError> ValidateModel(ModelSpec model, Frequency frequency, int shortestTraining);

    protected abstract TFit Fit(ReadOnlySpan<double> training, ModelSpec model, Frequency frequency, CancellationToken cancellationToken);

    /// <summary>Fitted parameters of one fit, counted for the model summary.</summary>
    protected abstract int ParameterCount(TFit fit);

    /// <summary>One fit as stored JSON (System.Text.Json of the fit record unless a kind has its own format).</summary>
    protected virtual JsonElement SaveFit(TFit fit) => JsonSerializer.SerializeToElement(fit, StateJson);

    protected virtual TFit LoadFit(JsonElement state) => state.Deserialize<TFit>(StateJson)
        ?? throw new InvalidDataException($"A stored '{Name}' fit is empty.");

    /// <summary>Extra facts reported in the model summary (chosen orders, information criteria …).</summary>
    protected virtual IReadOnlyDictionary<string, object>? Describe(IReadOnlyList<UnivariateFit<TFit>> fits) => null;

    public IEnumerable<FieldError> Validate(TrainingRunSpec spec, DatasetFrame frame, IReadOnlyDictionary<string, SeriesPeriods> periods)
    {
        if (spec.Strategy is not (ForecastStrategy.Direct or ForecastStrategy.Recursive))
            yield return new FieldError("strategy", $"'{Name}' forecasts all steps from its own recursion; use strategy 'direct' or 'recursive', not '{spec.Strategy.ToWire()}'.");
        if (spec.KnownFuture is { Count: > 0 })
            yield return new FieldError("knownFuture", $"'{Name}' is univariate and cannot use known-future covariates.");
        if (spec.Inputs is { Count: > 0 } && !spec.Inputs.SequenceEqual(spec.Targets))
            yield return new FieldError("inputs", $"'{Name}' is univariate: each target is forecast from its own past only, so inputs must be omitted or equal the targets.");
        var trained = periods.Values.Where(p => !p.Train.IsEmpty).Select(p => p.Train.Length).DefaultIfEmpty(0).Min();
        foreach (var error in ValidateModel(spec.Model, frame.Frequency, trained)) yield return error;
    }

    public TrainedModel Train(TrainingInput input, IProgress<EpochProgress>? progress, CancellationToken cancellationToken)
    {
        var spec = input.Spec;
        var fits = new List<UnivariateFit<TFit>>();
        var trainErrors = new ForecastErrorAccumulator();
        // Progress counts fits (one per series and target), not epochs; there is no training loss.
        var total = SelectedSeries(input).Count(s => !input.Periods[s.Id].Train.IsEmpty) * spec.Targets.Count;
        foreach (var series in SelectedSeries(input))
        {
            var periods = input.Periods[series.Id];
            if (periods.Train.IsEmpty) continue;
            foreach (var target in spec.Targets)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var values = series[target];
                var fit = Fit(values.AsSpan(periods.Train.Start, periods.Train.Length), spec.Model, input.Frame.Frequency, cancellationToken);
                fits.Add(new UnivariateFit<TFit>(series.Id, target, fit));
                Accumulate(trainErrors, fit, target, values, periods.Train, 1);
                progress?.Report(new EpochProgress(fits.Count, total, double.NaN, null, null));
            }
        }
        var validation = Evaluate(input, fits, p => p.Valid, spec.Horizon);
        var test = Evaluate(input, fits, p => p.Test, spec.Horizon);
        // Statistical fits have no epochs: the history is empty and the model's details say what was fitted
        // (orders, parameters, log likelihood for SARIMA); the last progress carries the validation MAE (data units).
        progress?.Report(new EpochProgress(total, total, double.NaN, validation?.Mse, validation?.Mae));
        return new TrainedModel(new FittedStatisticalModel(this, fits), validation, test, [], fits.Sum(f => (long)ParameterCount(f.Fit)), Describe(fits));
    }

    public IFittedModel Load(byte[] state, TrainingRunSpec spec)
    {
        var stored = JsonSerializer.Deserialize<List<UnivariateFit<JsonElement>>>(state, StateJson)
            ?? throw new InvalidDataException($"The stored '{Name}' model state is empty.");
        return new FittedStatisticalModel(this, stored.Select(f => new UnivariateFit<TFit>(f.Series, f.Target, LoadFit(f.Fit))).ToList());
    }

    internal static readonly JsonSerializerOptions StateJson = new(JsonSerializerDefaults.Web) { IncludeFields = true };

    private static IEnumerable<Series> SelectedSeries(TrainingInput input) =>
        input.Spec.Series is { Count: > 0 } ids ? input.Frame.Series.Where(s => ids.Contains(s.Id)) : input.Frame.Series;

    private static MetricSet? Evaluate(TrainingInput input, List<UnivariateFit<TFit>> fits, Func<SeriesPeriods, IndexRange?> period, int horizon)
    {
        var errors = new ForecastErrorAccumulator();
        foreach (var fit in fits)
        {
            var series = input.Frame.Series.First(s => s.Id == fit.Series);
            if (period(input.Periods[series.Id]) is { IsEmpty: false } range)
                Accumulate(errors, fit.Fit, fit.Target, series[fit.Target], range, horizon);
        }
        return errors.ToMetrics();
    }

    /// <summary>Adds the forecast of every target in <paramref name="range"/> at every step 1..h, each from the observations before its origin.</summary>
    private static void Accumulate(ForecastErrorAccumulator errors, TFit fit, string target, double[] values, IndexRange range, int horizon)
    {
        // Origin n (observations values[..n]) forecasts index n+k-1 at step k; keep those landing in the range.
        var first = Math.Max(fit.MinimumHistory, range.Start - horizon + 1);
        var origins = Enumerable.Range(first, Math.Max(0, range.End - first)).ToList();
        if (origins.Count == 0) return;
        var forecasts = fit.ForecastAtOrigins(values.AsSpan(0, range.End), origins, horizon);
        for (var o = 0; o < origins.Count; o++)
            for (var k = 1; k <= horizon; k++)
            {
                var t = origins[o] + k - 1;
                if (t >= range.Start && t < range.End) errors.Add(target, k, values[t], forecasts[o][k - 1]);
            }
    }

    /// <summary>The fits of a trained statistical model, serialised as JSON.</summary>
    private sealed class FittedStatisticalModel(StatisticalModelKind<TFit> kind, IReadOnlyList<UnivariateFit<TFit>> fits) : IFittedModel
    {
        public string Kind => kind.Name;

        public string StateFormat => $"{kind.Name}-json-v1";

        public byte[] SaveState() => JsonSerializer.SerializeToUtf8Bytes(
            fits.Select(f => new UnivariateFit<JsonElement>(f.Series, f.Target, kind.SaveFit(f.Fit))).ToList(), StateJson);

        public IReadOnlyList<TargetForecast> Forecast(ForecastQuery query, CancellationToken cancellationToken = default)
        {
            var result = new List<TargetForecast>();
            foreach (var fit in fits.Where(f => f.Series == query.History.Id))
            {
                var history = query.History[fit.Target];
                if (history.Length < fit.Fit.MinimumHistory)
                    throw new ForecastInputException($"Forecasting '{fit.Target}' needs at least {fit.Fit.MinimumHistory} observations before the origin; {history.Length} were given.");
                (double[] mean, double[] variance) forecast;
                try
                {
                    forecast = fit.Fit.Forecast(history, query.Horizon);
                }
                catch (SarimaInputException e)
                {
                    throw new ForecastInputException(e.Message); // the history the client posted cannot be filtered
                }
                var (mean, variance) = forecast;
                result.Add(PredictionIntervals.Gaussian(fit.Target, mean, variance, query.Levels));
            }
            if (result.Count == 0) throw new ForecastInputException($"The model was not trained on series '{query.History.Id}'.");
            return result;
        }
    }
}

/// <summary>The fit of one target of one series.</summary>
public sealed record UnivariateFit<TFit>(string Series, string Target, TFit Fit);
