using System.Text.Json;
using Forecasting.Domain;
using Forecasting.Training.Models;

namespace Forecasting.Training.Statistical;

/// <summary>
/// Shared behaviour of the statistical kinds: one univariate fit per (series, target) on the training
/// period; validation and test metrics forecast every target in the period from all observations
/// before it, with the parameters fitted on the training period (no refit), as API.md specifies.
/// Conformal intervals are calibrated on the validation period, or on refits at rolling origins
/// (<c>intervals.calibration: backtest</c>).
/// </summary>
public abstract class StatisticalModelKind<TFit> : IModelKind, IUnivariateKind where TFit : IUnivariateForecaster
{
    public abstract string Name { get; }

    /// <summary>The statistical family's traits; a kind states only its fields.</summary>
    public ModelKindTraits Traits => _traits ??= new ModelKindTraits
    {
        Family = ModelFamily.Statistical,
        Queue = WorkQueue.Statistical,
        FitCost = Cost,
        Fields = Fields,
        // Both name the same forecasts: the model recurses over its own forecasts whatever the strategy says.
        Strategies = [ForecastStrategy.Direct, ForecastStrategy.Recursive],
        StateFormat = $"{Name}-json-v1",
        HasWeightTensors = false,
        BacktestCalibration = true,
        WarmStart = false,
        KnownFuture = false,
    };

    private ModelKindTraits? _traits;

    /// <summary>What one fit costs (closed form: light; numerical optimisation: heavy).</summary>
    protected abstract FitCost Cost { get; }

    /// <summary>The <c>model</c> fields the kind reads.</summary>
    protected abstract IReadOnlyList<ModelField> Fields { get; }

    /// <summary>Kind-specific checks of the request (season, orders …), given the shortest training period.</summary>
    protected abstract IEnumerable<FieldError> ValidateModel(ModelSpec model, Frequency frequency, int shortestTraining);

    /// <summary>The same checks for a kind that also reads the request around the model (the horizon …).</summary>
    protected virtual IEnumerable<FieldError> ValidateModel(TrainingRunSpec spec, Frequency frequency, int shortestTraining) =>
        ValidateModel(spec.Model, frequency, shortestTraining);

    /// <summary>
    /// Kind-specific checks of one target's data (all of the series, as forecasts may start anywhere in it) and of the
    /// training range a fit will see; null when it passes. Asked for the training period and for a backtest's first refit.
    /// </summary>
    protected virtual FieldError? ValidateData(ModelSpec model, Series series, string target, IndexRange training, Frequency frequency) => null;

    protected abstract TFit Fit(ReadOnlySpan<double> training, ModelSpec model, Frequency frequency, CancellationToken cancellationToken);

    /// <summary>One fit for a kind that also reads the request around the model (the horizon …).</summary>
    protected virtual TFit Fit(ReadOnlySpan<double> training, TrainingRunSpec spec, Frequency frequency, CancellationToken cancellationToken) =>
        Fit(training, spec.Model, frequency, cancellationToken);

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
        if (!Traits.Strategies.Contains(spec.Strategy))
            yield return new FieldError("strategy", $"'{Name}' forecasts all steps from its own recursion; use strategy {string.Join(" or ", Traits.Strategies.Select(s => $"'{s.ToWire()}'"))}, not '{spec.Strategy.ToWire()}'.");
        if (spec.KnownFuture is { Count: > 0 } && !Traits.KnownFuture)
            yield return new FieldError("knownFuture", $"'{Name}' is univariate and cannot use known-future covariates.");
        if (spec.Inputs is { Count: > 0 } && !spec.Inputs.SequenceEqual(spec.Targets))
            yield return new FieldError("inputs", $"'{Name}' is univariate: each target is forecast from its own past only, so inputs must be omitted or equal the targets.");
        var trained = periods.Values.Where(p => !p.Train.IsEmpty).Select(p => p.Train.Length).DefaultIfEmpty(0).Min();
        var errors = ValidateModel(spec, frame.Frequency, trained).ToList();
        // The data are checked against a valid model (a fixed multiplicative ETS needs positive data).
        if (errors.Count == 0) errors.AddRange(ValidateData(spec, frame, periods, p => p.Train));
        foreach (var error in errors) yield return error;
        if (errors.Count == 0 && spec.Intervals is { Calibration: CalibrationSource.Backtest } intervals)
            foreach (var error in ValidateBacktest(spec, intervals.EffectiveWindows, frame, periods)) yield return error;
    }

    /// <summary>The first backtest window's refit must be possible: enough observations before its origin for the kind.</summary>
    private IEnumerable<FieldError> ValidateBacktest(TrainingRunSpec spec, int windows, DatasetFrame frame, IReadOnlyDictionary<string, SeriesPeriods> periods)
    {
        var frequency = frame.Frequency;
        var reach = (long)windows * spec.Horizon;
        var before = periods.Values.Where(p => !p.Train.IsEmpty).Select(p => CalibrationEnd(p) - reach - p.Train.Start).DefaultIfEmpty(0).Min();
        var where = $"{windows} calibration windows of horizon {spec.Horizon} steps start {reach} steps before the end of the training and validation data";
        if (before < 1)
        {
            yield return new FieldError("intervals.windows", $"{where}, before the training period starts; use fewer windows.");
            yield break;
        }
        foreach (var error in ValidateModel(spec, frequency, (int)before))
            yield return new FieldError("intervals.windows", $"{where}, leaving {before} observations for the first refit: {error.Message} Use fewer windows.");
        foreach (var error in ValidateData(spec, frame, periods, p => new IndexRange(p.Train.Start, CalibrationEnd(p) - (int)reach)))
            yield return new FieldError("intervals.windows", $"{where}; for the first refit: {error.Message} Use fewer windows.");
    }

    /// <summary>The first data error of each target over the selected series, each checked on the range <paramref name="training"/> gives.</summary>
    private List<FieldError> ValidateData(TrainingRunSpec spec, DatasetFrame frame, IReadOnlyDictionary<string, SeriesPeriods> periods, Func<SeriesPeriods, IndexRange> training)
    {
        var errors = new List<FieldError>();
        foreach (var target in spec.Targets)
            foreach (var series in SelectedSeries(spec, frame))
            {
                if (!periods.TryGetValue(series.Id, out var p) || p.Train.IsEmpty) continue;
                if (ValidateData(spec.Model, series, target, training(p), frame.Frequency) is { } error)
                {
                    errors.Add(error);
                    break;
                }
            }
        return errors;
    }

    /// <summary>Where backtest calibration windows end: the end of the validation period, or of training without one.</summary>
    private static int CalibrationEnd(SeriesPeriods periods) => periods.Valid?.End ?? periods.Train.End;

    public TrainedModel Train(TrainingInput input, IProgress<EpochProgress>? progress, CancellationToken cancellationToken)
    {
        var spec = input.Spec;
        var fits = new List<UnivariateFit<TFit>>();
        // Progress counts fits (one per series and target, and one per backtest calibration window), not epochs; there is no training loss.
        var intervals = spec.Intervals ?? new IntervalsSpec();
        var backtest = intervals.Calibration == CalibrationSource.Backtest;
        var total = SelectedSeries(input).Count(s => !input.Periods[s.Id].Train.IsEmpty) * spec.Targets.Count * (backtest ? 1 + intervals.EffectiveWindows : 1);
        progress?.Report(new EpochProgress(0, total, double.NaN, null, null)); // the total is known before the first fit ends
        foreach (var series in SelectedSeries(input))
        {
            var periods = input.Periods[series.Id];
            if (periods.Train.IsEmpty) continue;
            foreach (var target in spec.Targets)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var values = series[target];
                var fit = Fit(values.AsSpan(periods.Train.Start, periods.Train.Length), spec, input.Frame.Frequency, cancellationToken);
                fits.Add(new UnivariateFit<TFit>(series.Id, target, fit));
                progress?.Report(new EpochProgress(fits.Count, total, double.NaN, null, null));
            }
        }
        var levels = spec.Levels ?? IntervalScoring.DefaultLevels;
        var refits = 0;
        var validRows = Evaluate(input, fits, p => p.Valid, spec.Horizon);
        var frequency = input.Frame.Frequency;
        var calibrationRows = backtest
            ? Backtest(input, fits, intervals.EffectiveWindows, spec.Horizon, () => progress?.Report(new EpochProgress(fits.Count + ++refits, total, double.NaN, null, null)), cancellationToken)
            : [.. validRows, .. Evaluate(input, fits, p => CalibrationPeriod.TrainingTail(p, frequency, 0), spec.Horizon)];
        var calibration = ConformalCalibration.From(calibrationRows);
        var report = calibration is null ? null : backtest
            ? new CalibrationReport(CalibrationSource.Backtest, intervals.EffectiveWindows, spec.Horizon, calibrationRows.Count)
            : new CalibrationReport(CalibrationSource.Validation, null, null, calibrationRows.Count);
        var validation = IntervalScoring.Metrics(validRows, calibration, levels);
        var test = IntervalScoring.Metrics(Evaluate(input, fits, p => p.Test, spec.Horizon), calibration, levels);
        // Statistical fits have no epochs: the history is empty and the model's details say what was fitted
        // (orders, parameters, log likelihood for SARIMA); the last progress carries the validation MAE (data units).
        progress?.Report(new EpochProgress(total, total, double.NaN, validation?.Mse, validation?.Mae));
        return new TrainedModel(new FittedStatisticalModel(this, fits, calibration), validation, test, [], fits.Sum(f => (long)ParameterCount(f.Fit)), Describe(fits), report);
    }

    public IFittedModel Load(byte[] state, TrainingRunSpec spec)
    {
        // Models stored before conformal calibration hold the bare list of fits.
        using var document = JsonDocument.Parse(state);
        var stored = document.RootElement.ValueKind == JsonValueKind.Array
            ? new StoredState(document.RootElement.Deserialize<List<UnivariateFit<JsonElement>>>(StateJson)!, null)
            : document.RootElement.Deserialize<StoredState>(StateJson) ?? throw new InvalidDataException($"The stored '{Name}' model state is empty.");
        return new FittedStatisticalModel(this, stored.Fits.Select(f => new UnivariateFit<TFit>(f.Series, f.Target, LoadFit(f.Fit.Clone()))).ToList(), stored.Calibration);
    }

    private sealed record StoredState(List<UnivariateFit<JsonElement>> Fits, ConformalCalibration? Calibration);

    internal static readonly JsonSerializerOptions StateJson = new(JsonSerializerDefaults.Web) { IncludeFields = true };

    private static IEnumerable<Series> SelectedSeries(TrainingInput input) => SelectedSeries(input.Spec, input.Frame);

    private static IEnumerable<Series> SelectedSeries(TrainingRunSpec spec, DatasetFrame frame) =>
        spec.Series is { Count: > 0 } ids ? frame.Series.Where(s => ids.Contains(s.Id)) : frame.Series;

    /// <summary>
    /// Every target of the period at every step 1..h, forecast from the observations before its origin, with the
    /// fit's forecast standard deviation per step as its spread (the steady state from the training period: the
    /// naive models' variance does not depend on the origin, SARIMA's Kalman variance converges within a season).
    /// </summary>
    private static List<ScoredForecast> Evaluate(TrainingInput input, List<UnivariateFit<TFit>> fits, Func<SeriesPeriods, IndexRange?> period, int horizon)
    {
        var rows = new List<ScoredForecast>();
        var seriesById = input.Frame.Series.ToDictionary(s => s.Id, StringComparer.Ordinal);
        foreach (var fit in fits)
        {
            var series = seriesById[fit.Series];
            var periods = input.Periods[series.Id];
            if (period(periods) is not { IsEmpty: false } range) continue;
            var values = series[fit.Target];
            var (_, variance) = fit.Fit.Forecast(values.AsSpan(periods.Train.Start, periods.Train.Length), horizon);
            var spread = variance.Select(v => Math.Sqrt(Math.Max(0, v))).ToArray();
            var floor = fit.Fit.NonNegative ? 0 : double.NegativeInfinity;
            Accumulate((target, step, actual, predicted) => rows.Add(new ScoredForecast(target, step, actual, predicted, spread[step - 1], floor)),
                fit.Fit, fit.Target, values, range, horizon);
        }
        return rows;
    }

    /// <summary>
    /// Backtest calibration, as StatsForecast's <c>ConformalIntervals(h, n_windows)</c>: per fit, <paramref name="windows"/>
    /// origins <paramref name="horizon"/> steps apart, the last window ending where the training and validation data end;
    /// at each the kind is refitted on the training data before the origin (from trainFrom) and forecasts h steps from
    /// every observation before it. Each error is measured in the trained fit's spread per step, the spread its
    /// forecasts will be scaled by.
    /// </summary>
    private List<ScoredForecast> Backtest(TrainingInput input, List<UnivariateFit<TFit>> fits, int windows, int horizon, Action refitted, CancellationToken cancellationToken)
    {
        var rows = new List<ScoredForecast>();
        var seriesById = input.Frame.Series.ToDictionary(s => s.Id, StringComparer.Ordinal);
        foreach (var fit in fits)
        {
            var periods = input.Periods[fit.Series];
            var values = seriesById[fit.Series][fit.Target];
            var (_, variance) = fit.Fit.Forecast(values.AsSpan(periods.Train.Start, periods.Train.Length), horizon);
            var end = CalibrationEnd(periods);
            for (var w = windows; w >= 1; w--)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var origin = end - w * horizon;
                var refit = Fit(values.AsSpan(periods.Train.Start, origin - periods.Train.Start), input.Spec, input.Frame.Frequency, cancellationToken);
                var (mean, _) = refit.Forecast(values.AsSpan(0, origin), horizon);
                for (var k = 1; k <= horizon; k++)
                    rows.Add(new ScoredForecast(fit.Target, k, values[origin + k - 1], mean[k - 1], Math.Sqrt(Math.Max(0, variance[k - 1]))));
                refitted();
            }
        }
        return rows;
    }

    /// <summary>Adds the forecast of every target in <paramref name="range"/> at every step 1..h, each from the observations before its origin.</summary>
    private static void Accumulate(Action<string, int, double, double> add, TFit fit, string target, double[] values, IndexRange range, int horizon)
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
                if (t >= range.Start && t < range.End) add(target, k, values[t], forecasts[o][k - 1]);
            }
    }

    IEnumerable<FieldError> IUnivariateKind.Check(ModelSpec model, Frequency frequency, int trainingLength) => ValidateModel(model, frequency, trainingLength);

    IUnivariateForecaster IUnivariateKind.Fit(ReadOnlySpan<double> training, ModelSpec model, Frequency frequency, CancellationToken cancellationToken) =>
        Fit(training, model, frequency, cancellationToken);

    int IUnivariateKind.CountParameters(IUnivariateForecaster fit) => ParameterCount((TFit)fit);

    JsonElement IUnivariateKind.Save(IUnivariateForecaster fit) => SaveFit((TFit)fit);

    IUnivariateForecaster IUnivariateKind.Load(JsonElement state) => LoadFit(state);

    /// <summary>The fits of a trained statistical model, serialised as JSON.</summary>
    private sealed class FittedStatisticalModel(StatisticalModelKind<TFit> kind, IReadOnlyList<UnivariateFit<TFit>> fits, ConformalCalibration? calibration) : IFittedModel
    {
        private readonly ILookup<string, UnivariateFit<TFit>> _bySeries = fits.ToLookup(f => f.Series, StringComparer.Ordinal);

        public string Kind => kind.Name;

        public string StateFormat => kind.Traits.StateFormat;

        public ConformalCalibration? Calibration => calibration;

        public byte[] SaveState() => JsonSerializer.SerializeToUtf8Bytes(new StoredState(
            fits.Select(f => new UnivariateFit<JsonElement>(f.Series, f.Target, kind.SaveFit(f.Fit))).ToList(), calibration), StateJson);

        public IReadOnlyList<TargetForecast> Forecast(ForecastQuery query, CancellationToken cancellationToken = default)
        {
            var result = new List<TargetForecast>();
            var method = PredictionIntervals.Resolve(query.Method, calibration);
            foreach (var fit in _bySeries[query.History.Id])
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
                var intervals = method == IntervalMethod.Conformal
                    ? PredictionIntervals.Conformal(fit.Target, mean, variance.Select(v => Math.Sqrt(Math.Max(0, v))).ToArray(), calibration!, query.Levels)
                    : PredictionIntervals.Gaussian(fit.Target, mean, variance, query.Levels);
                result.Add(fit.Fit.NonNegative ? PredictionIntervals.AtLeast(intervals, 0) : intervals);
            }
            if (result.Count == 0) throw new ForecastInputException($"The model was not trained on series '{query.History.Id}'.");
            return result;
        }
    }
}
