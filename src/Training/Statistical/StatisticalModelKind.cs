using System.Text.Json;
using Forecasting.Domain;
using Forecasting.Training.Models;
using Forecasting.Training.Statistical.Transforms;

namespace Forecasting.Training.Statistical;

/// <summary>
/// Shared behaviour of the statistical kinds: one univariate fit per (series, target) on the training
/// period; validation and test metrics forecast every target in the period from all observations
/// before it, with the parameters fitted on the training period (no refit), as API.md specifies.
/// Conformal intervals are calibrated on the validation period, or on refits at rolling origins
/// (<c>intervals.calibration: backtest</c>). Each series stands alone: one the kind cannot fit (too short, constant, a
/// failed fit) gets the request's <c>fallback</c> or is skipped, and the run fails only when too few are fitted.
/// With a request <c>transform</c>, each series is fitted on its transformed values (its λ stored with the fit);
/// conformal scores are taken on that scale, and forecasts and metrics are mapped back to the data's.
/// </summary>
public abstract class StatisticalModelKind<TFit> : ISeriesStateKind, IUnivariateKind where TFit : IUnivariateForecaster
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
        KnownFuture = TakesRegressors,
        PerSeriesFits = true,
    };

    private ModelKindTraits? _traits;

    /// <summary>Models are stored per series: the calibration in the model's state, each fit on its <c>model_series</c> row.</summary>
    public string SeriesStateFormat => $"{Name}-series-json-v1";

    /// <summary>What one fit costs (closed form: light; numerical optimisation: heavy).</summary>
    protected abstract FitCost Cost { get; }

    /// <summary>The <c>model</c> fields the kind reads.</summary>
    protected abstract IReadOnlyList<ModelField> Fields { get; }

    /// <summary>Kind-specific checks of the request (season, orders …) for a training period of <paramref name="trainingLength"/> observations.</summary>
    protected abstract IEnumerable<FieldError> ValidateModel(ModelSpec model, Frequency frequency, int trainingLength);

    /// <summary>The same checks for a kind that also reads the request around the model (the horizon …).</summary>
    protected virtual IEnumerable<FieldError> ValidateModel(TrainingRunSpec spec, Frequency frequency, int trainingLength) =>
        ValidateModel(spec.Model, frequency, trainingLength);

    /// <summary>
    /// Kind-specific checks of one target's data (all of the series, as forecasts may start anywhere in it) and of the
    /// training range a fit will see; null when it passes. Asked for the training period and for a backtest's first refit.
    /// </summary>
    protected virtual FieldError? ValidateData(ModelSpec model, Series series, string target, IndexRange training, Frequency frequency) => null;

    protected abstract TFit Fit(ReadOnlySpan<double> training, ModelSpec model, Frequency frequency, CancellationToken cancellationToken);

    /// <summary>One fit for a kind that also reads the request around the model (the horizon …).</summary>
    protected virtual TFit Fit(ReadOnlySpan<double> training, TrainingRunSpec spec, Frequency frequency, CancellationToken cancellationToken) =>
        Fit(training, spec.Model, frequency, cancellationToken);

    /// <summary>
    /// Whether the kind reads known-future columns as regressors (<see cref="RegressorLayout"/>): its fits then get them
    /// through <see cref="Fit(ReadOnlySpan{double}, IReadOnlyList{double[]}?, TrainingRunSpec, Frequency, CancellationToken)"/>
    /// and forecast through <see cref="IRegressionForecaster"/>.
    /// </summary>
    protected virtual bool TakesRegressors => false;

    /// <summary>One fit with the regressors' values over the training span (null: the request has no known-future columns).</summary>
    protected virtual TFit Fit(ReadOnlySpan<double> training, IReadOnlyList<double[]>? regressors, TrainingRunSpec spec, Frequency frequency, CancellationToken cancellationToken) =>
        regressors is null ? Fit(training, spec, frequency, cancellationToken) : throw new InvalidOperationException($"'{Name}' takes no regressors.");

    /// <summary>
    /// A series' fit as the model keeps it (not a calibration window's refit): a kind whose fits defer work that holds
    /// large buffers, which saving the model does anyway, does it here, so a fleet's fits never hold them all at once.
    /// </summary>
    protected virtual TFit Kept(TFit fit) => fit;

    /// <summary>Whether the kind forecasts a constant series as it is (the naive methods); the others' fits are not tried on one.</summary>
    protected virtual bool FitsConstantSeries => false;

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
            yield return new FieldError("knownFuture", $"'{Name}' is univariate and cannot use known-future covariates; sarima (regression with SARIMA errors) and the neural kinds take them.");
        if (spec.Inputs is { Count: > 0 } && !spec.Inputs.SequenceEqual(spec.Targets))
            yield return new FieldError("inputs", $"'{Name}' is univariate: each target is forecast from its own past only, so inputs must be omitted or equal the targets.");
        // A request is refused only when no series could be fitted; each shorter one falls back on its own in training.
        var trained = periods.Values.Where(p => !p.Train.IsEmpty).Select(p => p.Train.Length).DefaultIfEmpty(0).Max();
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
        var before = periods.Values.Where(p => !p.Train.IsEmpty).Select(p => CalibrationEnd(p) - reach - p.Train.Start).DefaultIfEmpty(0).Max();
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

    /// <summary>
    /// Per target, the first data error when no selected series passes the kind's data checks (each on the range
    /// <paramref name="training"/> gives); a series that fails alone falls back in training.
    /// </summary>
    private List<FieldError> ValidateData(TrainingRunSpec spec, DatasetFrame frame, IReadOnlyDictionary<string, SeriesPeriods> periods, Func<SeriesPeriods, IndexRange> training)
    {
        var errors = new List<FieldError>();
        foreach (var target in spec.Targets)
        {
            FieldError? first = null;
            var passed = false;
            foreach (var series in SelectedSeries(spec, frame))
            {
                if (!periods.TryGetValue(series.Id, out var p) || p.Train.IsEmpty) continue;
                if ((TransformError(spec, series, target, frame.Frequency) ?? ValidateData(spec.Model, AsFitted(spec, series, target, training(p), frame.Frequency), target, training(p), frame.Frequency)) is { } error)
                    first ??= error;
                else
                {
                    passed = true;
                    break;
                }
            }
            if (!passed && first is not null) errors.Add(first);
        }
        return errors;
    }

    /// <summary>
    /// Why the request's transform cannot be applied to the series (the first value outside its domain), or null; every
    /// value counts, as forecasts may start anywhere in the series.
    /// </summary>
    private static string? WhyNotTransformable(TrainingRunSpec spec, Series series, string target, Frequency frequency) =>
        spec.Transform is { } transform ? SeriesTransform.WhyNotApplicable(transform, series[target], i => frequency.Format(frequency.Add(series.Start, i))) : null;

    /// <summary>
    /// The series as the kind will see it, for its own data checks: the target transformed (λ from the training range)
    /// where the request has a transform, which the series must pass first.
    /// </summary>
    private static Series AsFitted(TrainingRunSpec spec, Series series, string target, IndexRange training, Frequency frequency)
    {
        if (spec.Transform is not { } transform) return series;
        var values = series[target];
        var fitted = SeriesTransform.For(transform, values.AsSpan(training.Start, training.Length), frequency.SeasonOf(spec.Model.Season));
        return new Series(series.Id, series.Start, series.Length, new Dictionary<string, double[]> { [target] = fitted.Forward(values) });
    }

    private static FieldError? TransformError(TrainingRunSpec spec, Series series, string target, Frequency frequency) =>
        WhyNotTransformable(spec, series, target, frequency) is { } reason
            ? new FieldError("transform", $"Series '{series.Id}'{(spec.Targets.Count > 1 ? $" ({target})" : "")}: {reason}.")
            : null;

    /// <summary>Where backtest calibration windows end: the end of the validation period, or of training without one.</summary>
    private static int CalibrationEnd(SeriesPeriods periods) => periods.Valid?.End ?? periods.Train.End;

    public TrainedModel Train(TrainingInput input, IProgress<EpochProgress>? progress, CancellationToken cancellationToken)
    {
        var spec = input.Spec;
        var frequency = input.Frame.Frequency;
        // Progress counts fits (one per series and target, and one per backtest calibration window), not epochs; there is no training loss.
        var intervals = spec.Intervals ?? new IntervalsSpec();
        var backtest = intervals.Calibration == CalibrationSource.Backtest;
        var work = SelectedSeries(input).Where(s => !input.Periods[s.Id].Train.IsEmpty)
            .SelectMany(s => spec.Targets.Select(t => (Series: s, Target: t))).ToList();
        var total = work.Count * (backtest ? 1 + intervals.EffectiveWindows : 1);
        progress?.Report(new EpochProgress(0, total, double.NaN, null, null)); // the total is known before the first fit ends
        var layout = TakesRegressors ? RegressorLayout.For(spec, input.Frame, input.Periods) : null;
        var results = FitAll(work, input, layout, progress, total, cancellationToken);
        var fits = results.Select(r => r.Fit).OfType<SeriesFit>().ToList();
        var outcomes = results.Select(r => r.Outcome).ToList();
        RequireEnoughFitted(outcomes, spec);
        var levels = spec.Levels ?? IntervalScoring.DefaultLevels;
        var refits = 0;
        // Scored forecasts are streamed, never held (a large panel has millions): the validation period's are made twice,
        // once for the calibration and once, scored with it, for the metrics; both passes are deterministic.
        IEnumerable<ScoredForecast> ValidRows() => Evaluate(input, fits, layout, p => p.Valid, spec.Horizon);
        var calibrationRows = backtest
            ? Backtest(input, fits, layout, intervals.EffectiveWindows, spec.Horizon, () => progress?.Report(new EpochProgress(outcomes.Count + ++refits, total, double.NaN, null, null)), cancellationToken)
            : ValidRows().Concat(Evaluate(input, fits, layout, p => CalibrationPeriod.TrainingTail(p, frequency, 0), spec.Horizon));
        var calibrationCount = 0;
        var calibration = ConformalCalibration.From(calibrationRows.Select(r => { calibrationCount++; return r; }));
        var report = calibration is null ? null : backtest
            ? new CalibrationReport(CalibrationSource.Backtest, intervals.EffectiveWindows, spec.Horizon, calibrationCount)
            : new CalibrationReport(CalibrationSource.Validation, null, null, calibrationCount);
        var mase = MaseScales.For(input);
        var validation = IntervalScoring.Metrics(ValidRows(), calibration, levels, mase, spec.Bounds);
        var test = IntervalScoring.Metrics(Evaluate(input, fits, layout, p => p.Test, spec.Horizon), calibration, levels, mase, spec.Bounds);
        // Statistical fits have no epochs: the history is empty and the model's details say what was fitted
        // (orders, parameters, log likelihood for SARIMA); the last progress carries the validation MAE (data units).
        progress?.Report(new EpochProgress(total, total, double.NaN, validation?.Mse, validation?.Mae));
        var skipped = outcomes.Where(o => o.Status == SeriesStatus.Skipped).ToList();
        var own = fits.Where(f => !f.IsFallback).Select(f => new UnivariateFit<TFit>(f.Series, f.Target, (TFit)f.Fit)).ToList();
        return new TrainedModel(new FittedStatisticalModel(this, fits, calibration, skipped, layout), validation, test, [],
            fits.Sum(f => f.IsFallback ? 1L : ParameterCount((TFit)f.Fit)), WithRegression(WithTransforms(Describe(own), fits), fits, layout), report, outcomes);
    }

    /// <summary>The kind's facts and, for a run with regressors, each fit's regression coefficients with their standard errors.</summary>
    private static IReadOnlyDictionary<string, object>? WithRegression(IReadOnlyDictionary<string, object>? details, List<SeriesFit> fits, RegressorLayout? layout)
    {
        if (layout is null) return details;
        var result = details is null ? new Dictionary<string, object>() : new Dictionary<string, object>(details);
        result["regression"] = new
        {
            regressors = layout.Columns.Select(c => c.Name).ToList(),
            referenceLevels = layout.References,
            fits = fits.Where(f => f.Fit is IRegressionForecaster { Regressors: > 0 }).Select(f => new
            {
                series = f.Series,
                target = f.Target,
                coefficients = ((IRegressionForecaster)f.Fit).Coefficients.Select((c, j) => new
                {
                    name = layout.Columns[j].Name,
                    value = c.Coefficient,
                    standardError = double.IsFinite(c.StandardError) ? c.StandardError : (double?)null,
                }).ToList(),
            }).ToList(),
        };
        return result;
    }

    /// <summary>The kind's facts and, for a transformed run, each fit's transform (its λ: Guerrero's where "auto").</summary>
    private static IReadOnlyDictionary<string, object>? WithTransforms(IReadOnlyDictionary<string, object>? details, List<SeriesFit> fits)
    {
        var transformed = fits.Where(f => f.Transform is not null).ToList();
        if (transformed.Count == 0) return details;
        var result = details is null ? new Dictionary<string, object>() : new Dictionary<string, object>(details);
        result["transforms"] = transformed.Select(f => new { series = f.Series, target = f.Target, kind = f.Transform!.Kind,
            lambda = f.Transform.Kind == TransformKind.BoxCox ? f.Transform.Lambda : (double?)null, biasAdjust = f.Transform.BiasAdjust }).ToList();
        return result;
    }

    /// <summary>
    /// Every (series, target) fit of the run, in the run's order whatever order they finish in; several at once when there
    /// are several (<see cref="FitParallelism"/>), each then fitting serially inside.
    /// </summary>
    private (SeriesFit? Fit, SeriesOutcome Outcome)[] FitAll(List<(Series Series, string Target)> work, TrainingInput input, RegressorLayout? layout,
        IProgress<EpochProgress>? progress, int total, CancellationToken cancellationToken)
    {
        var results = new (SeriesFit? Fit, SeriesOutcome Outcome)[work.Count];
        var done = 0;
        var gate = new object();
        (SeriesFit?, SeriesOutcome) One(int i) =>
            FitOrFallBack(work[i].Series, work[i].Target, input.Periods[work[i].Series.Id].Train, input.Spec, input.Frame, layout, cancellationToken);
        void Finished(int i, (SeriesFit?, SeriesOutcome) result)
        {
            results[i] = result;
            lock (gate) progress?.Report(new EpochProgress(++done, total, double.NaN, null, null)); // in order: never a step back
        }
        if (work.Count == 1)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Finished(0, One(0));
            return results;
        }
        try
        {
            Parallel.For(0, work.Count, new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = FitParallelism.AcrossSeries },
                i => Finished(i, FitParallelism.AtSeriesLevel(() => One(i))));
        }
        catch (AggregateException e) when (e.InnerExceptions.Count == 1)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
        }
        return results;
    }

    /// <summary>The kind's fit of one series and target; where it cannot be fitted, the fallback's, or none (skipped).</summary>
    private (SeriesFit? Fit, SeriesOutcome Outcome) FitOrFallBack(Series series, string target, IndexRange train, TrainingRunSpec spec, DatasetFrame frame,
        RegressorLayout? layout, CancellationToken cancellationToken)
    {
        var frequency = frame.Frequency;
        var training = series[target].AsSpan(train.Start, train.Length);
        var reason = WhyNotFittable(training, spec, series, target, train, frequency);
        var regressors = layout?.Values(series, train.Start, train.Length, null, frequency);
        if (reason is null && layout?.FirstMissing(regressors!, train.Start, train.Start, train.End) is var (column, row))
            reason = $"known-future column '{column}' has no value at {frequency.Format(frequency.Add(series.Start, row))}, in the training period";
        if (reason is null)
        {
            try
            {
                var transform = spec.Transform is { } t ? SeriesTransform.For(t, training, frequency.SeasonOf(spec.Model.Season)) : null;
                var fit = Kept(Fit(transform is null ? training : transform.Forward(training), regressors, spec, frequency, cancellationToken));
                return (new SeriesFit(series.Id, target, fit, false, transform), new SeriesOutcome(series.Id, target, SeriesStatus.Fitted, Name, null));
            }
            catch (Exception e) when (e is UserInputException or ArgumentException)
            {
                reason = $"its fit failed: {e.Message}";
            }
        }
        var method = spec.Fallback ?? FallbackMethod.SeasonalNaive;
        if (method == FallbackMethod.None)
            return (null, new SeriesOutcome(series.Id, target, SeriesStatus.Skipped, null, $"{reason} (fallback: none)"));
        if (training.Length < 2)
            return (null, new SeriesOutcome(series.Id, target, SeriesStatus.Skipped, null, $"{reason}; the fallback needs at least 2 training observations"));
        var season = method == FallbackMethod.SeasonalNaive ? frequency.SeasonOf(spec.Model.Season) : 1;
        // The naive method where the series is not longer than a season.
        if (training.Length <= season) season = 1;
        var fallback = NaiveModel.Fit(training, season);
        return (new SeriesFit(series.Id, target, fallback, true), new SeriesOutcome(series.Id, target, SeriesStatus.Fallback, FallbackName(fallback), reason));
    }

    private static string FallbackName(NaiveModel fit) => fit.Season > 1 ? "seasonal_naive" : "naive";

    /// <summary>Why the kind cannot be fitted to this series' training period (its own checks, a constant series), or null.</summary>
    private string? WhyNotFittable(ReadOnlySpan<double> training, TrainingRunSpec spec, Series series, string target, IndexRange train, Frequency frequency)
    {
        if (ValidateModel(spec, frequency, training.Length).FirstOrDefault() is { } tooShort) return tooShort.Message;
        if (WhyNotTransformable(spec, series, target, frequency) is { } transform) return transform;
        if (ValidateData(spec.Model, AsFitted(spec, series, target, train, frequency), target, train, frequency) is { } data) return data.Message;
        if (!FitsConstantSeries && training.Length > 0 && !training.ContainsAnyExcept(training[0]))
            return $"the series is constant (every training value is {training[0].ToString(System.Globalization.CultureInfo.InvariantCulture)})";
        return null;
    }

    /// <summary>Fails the run when the kind itself fitted fewer series than the request's <c>minFittedShare</c> (or none), naming the first few and why.</summary>
    private void RequireEnoughFitted(List<SeriesOutcome> outcomes, TrainingRunSpec spec)
    {
        var fitted = outcomes.Count(o => o.Status == SeriesStatus.Fitted);
        var required = spec.MinFittedShare is { } share ? Math.Max(1, (int)Math.Ceiling(share * outcomes.Count - 1e-9)) : 1;
        if (fitted >= required) return;
        var unit = spec.Targets.Count > 1 ? "series and targets" : "series";
        var examples = outcomes.Where(o => o.Status != SeriesStatus.Fitted).Take(3)
            .Select(o => $"'{o.Series}'{(spec.Targets.Count > 1 ? $" ({o.Target})" : "")}: {o.Reason}");
        var rule = spec.MinFittedShare is { } s ? $"minFittedShare {s.ToString(System.Globalization.CultureInfo.InvariantCulture)} needs {required}" : "at least one is needed";
        throw new UserInputException($"'{Name}' could be fitted to {fitted} of {outcomes.Count} {unit}, and {rule}. {string.Join("; ", examples)}.");
    }

    public IFittedModel Load(byte[] state, TrainingRunSpec spec)
    {
        var stored = ReadState(state);
        var fits = stored.Fits.Select(f => new SeriesFit(f.Series, f.Target, LoadFit(f.Fit), false, f.Transform))
            .Concat((stored.Fallbacks ?? []).Select(f => new SeriesFit(f.Series, f.Target, f.Fit, true))).ToList();
        return new FittedStatisticalModel(this, fits, stored.Calibration, stored.Skipped ?? [], stored.Regressors);
    }

    public IFittedModel LoadSeries(IFittedModel shared, IReadOnlyList<SeriesState> series, IReadOnlyList<SeriesOutcome> skipped)
    {
        var fits = new List<SeriesFit>(series.Count);
        foreach (var state in series)
        {
            var stored = JsonSerializer.Deserialize<StoredSeriesFit>(state.State, StateJson)
                ?? throw new InvalidDataException($"The stored '{Name}' fit of series '{state.Series}' is empty.");
            fits.Add(stored switch
            {
                { Fallback: { } naive } => new SeriesFit(state.Series, state.Target, naive, true),
                { Fit: { } fit } => new SeriesFit(state.Series, state.Target, LoadFit(fit), false, stored.Transform),
                _ => throw new InvalidDataException($"The stored '{Name}' fit of series '{state.Series}' holds neither a fit nor a fallback."),
            });
        }
        return new FittedStatisticalModel(this, fits, shared.Calibration, skipped, ((FittedStatisticalModel)shared).Layout);
    }

    /// <summary>A whole stored model, or a per-series model's shared state (no fits); models stored before conformal calibration hold the bare list of fits.</summary>
    private StoredState ReadState(byte[] state)
    {
        using var document = JsonDocument.Parse(state);
        var stored = document.RootElement.ValueKind == JsonValueKind.Array
            ? new StoredState(document.RootElement.Deserialize<List<StoredFit>>(StateJson)!, null)
            : document.RootElement.Deserialize<StoredState>(StateJson) ?? throw new InvalidDataException($"The stored '{Name}' model state is empty.");
        return stored;
    }

    /// <summary>
    /// The stored model: the kind's fits, its calibration, (since per-series outcomes) the fallbacks' fits and the skipped
    /// series, and (since regressors) the regressors its fits read.
    /// </summary>
    private sealed record StoredState(List<StoredFit> Fits, ConformalCalibration? Calibration,
        List<UnivariateFit<NaiveModel>>? Fallbacks = null, List<SeriesOutcome>? Skipped = null, RegressorLayout? Regressors = null);

    /// <summary>One series and target's state in a model stored per series: the kind's fit with its transform, or the fallback's.</summary>
    private sealed record StoredSeriesFit(JsonElement? Fit, SeriesTransform? Transform, NaiveModel? Fallback);

    /// <summary>One stored fit of the kind, with the transform it was fitted on (none in models stored before transforms).</summary>
    private sealed record StoredFit(string Series, string Target, JsonElement Fit, SeriesTransform? Transform = null);

    /// <summary>
    /// One series and target's forecaster: the kind's fit, or the fallback's (a <see cref="NaiveModel"/>, always on the
    /// data's scale), and the transform the kind's fit works on.
    /// </summary>
    private sealed record SeriesFit(string Series, string Target, IUnivariateForecaster Fit, bool IsFallback, SeriesTransform? Transform = null);

    internal static readonly JsonSerializerOptions StateJson = new(JsonSerializerDefaults.Web) { IncludeFields = true };

    private static IEnumerable<Series> SelectedSeries(TrainingInput input) => SelectedSeries(input.Spec, input.Frame);

    private static IEnumerable<Series> SelectedSeries(TrainingRunSpec spec, DatasetFrame frame) =>
        spec.Series is { Count: > 0 } ids ? frame.Series.Where(s => ids.Contains(s.Id)) : frame.Series;

    /// <summary>
    /// Every target of the period at every step 1..h, forecast from the observations before its origin, with the
    /// fit's forecast standard deviation per step as its spread (the steady state from the training period: the
    /// naive models' variance does not depend on the origin, SARIMA's Kalman variance converges within a season).
    /// </summary>
    private static IEnumerable<ScoredForecast> Evaluate(TrainingInput input, List<SeriesFit> fits, RegressorLayout? layout, Func<SeriesPeriods, IndexRange?> period, int horizon)
    {
        var rows = new List<ScoredForecast>(); // one series' at a time
        var seriesById = input.Frame.Series.ToDictionary(s => s.Id, StringComparer.Ordinal);
        var frequency = input.Frame.Frequency;
        foreach (var fit in fits)
        {
            var series = seriesById[fit.Series];
            var periods = input.Periods[series.Id];
            if (period(periods) is not { IsEmpty: false } range) continue;
            var values = fit.Transform?.Forward(series[fit.Target]) ?? series[fit.Target];
            var training = values.AsSpan(periods.Train.Start, periods.Train.Length);
            double[][]? regressors = null;
            double[] variance;
            if (RegressionOf(fit, layout) is { } regression)
            {
                var future = input.Frame.FutureOf(series.Id);
                regressors = layout!.Values(series, 0, range.End + horizon, future, frequency);
                if (layout.FirstMissing(regressors, 0, 0, range.End) is var (column, row))
                    throw new UserInputException($"Series '{series.Id}': known-future column '{column}' has no value at {frequency.Format(frequency.Add(series.Start, row))}; "
                                                 + $"'{input.Spec.Model.Kind}' with regressors needs them at every step it is scored on.");
                variance = regression.Forecast(training, layout.Values(series, periods.Train.Start, periods.Train.Length + horizon, future, frequency), horizon).Variance;
            }
            else variance = fit.Fit.Forecast(training, horizon).Variance;
            var spread = variance.Select(v => Math.Sqrt(Math.Max(0, v))).ToArray();
            var floor = fit.Fit.NonNegative ? 0 : double.NegativeInfinity;
            Accumulate((target, step, actual, predicted) => rows.Add(new ScoredForecast(target, step, actual, predicted, spread[step - 1], floor, series.Id, fit.Transform)),
                fit.Fit, regressors, fit.Target, values, range, horizon);
            foreach (var row in rows) yield return row;
            rows.Clear();
        }
    }

    /// <summary>The fit's regression part where the model has regressors and the fit reads them (not a fallback's); else null.</summary>
    private static IRegressionForecaster? RegressionOf(SeriesFit fit, RegressorLayout? layout) =>
        layout is not null && fit.Fit is IRegressionForecaster { Regressors: > 0 } regression ? regression : null;

    /// <summary>
    /// Backtest calibration, as StatsForecast's <c>ConformalIntervals(h, n_windows)</c>: per fit, <paramref name="windows"/>
    /// origins <paramref name="horizon"/> steps apart, the last window ending where the training and validation data end;
    /// at each the kind is refitted on the training data before the origin (from trainFrom) and forecasts h steps from
    /// every observation before it. Each error is measured in the trained fit's spread per step, the spread its
    /// forecasts will be scaled by.
    /// </summary>
    private List<ScoredForecast> Backtest(TrainingInput input, List<SeriesFit> fits, RegressorLayout? layout, int windows, int horizon, Action refitted, CancellationToken cancellationToken)
    {
        var rows = new List<ScoredForecast>();
        var seriesById = input.Frame.Series.ToDictionary(s => s.Id, StringComparer.Ordinal);
        var frequency = input.Frame.Frequency;
        foreach (var fit in fits)
        {
            var periods = input.Periods[fit.Series];
            var series = seriesById[fit.Series];
            var values = fit.Transform?.Forward(series[fit.Target]) ?? series[fit.Target];
            var regression = RegressionOf(fit, layout);
            var train = values.AsSpan(periods.Train.Start, periods.Train.Length);
            var (_, variance) = regression is null ? fit.Fit.Forecast(train, horizon)
                : regression.Forecast(train, layout!.Values(series, periods.Train.Start, periods.Train.Length + horizon, null, frequency), horizon);
            var end = CalibrationEnd(periods);
            for (var w = windows; w >= 1; w--)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var origin = end - w * horizon;
                var refitRegressors = regression is null ? null : layout!.Values(series, periods.Train.Start, origin - periods.Train.Start, null, frequency);
                var refit = Refit(fit, values.AsSpan(periods.Train.Start, origin - periods.Train.Start), refitRegressors, input.Spec, frequency, cancellationToken);
                if (refit is null)
                {
                    refitted();
                    continue;
                }
                var (mean, _) = regression is null ? refit.Forecast(values.AsSpan(0, origin), horizon)
                    : ((IRegressionForecaster)refit).Forecast(values.AsSpan(0, origin), layout!.Values(series, 0, origin + horizon, null, frequency), horizon);
                for (var k = 1; k <= horizon; k++)
                    rows.Add(new ScoredForecast(fit.Target, k, values[origin + k - 1], mean[k - 1], Math.Sqrt(Math.Max(0, variance[k - 1])), Scale: fit.Transform));
                refitted();
            }
        }
        return rows;
    }

    /// <summary>
    /// A calibration window's refit with the method that forecasts the series (the kind, or its fallback's season); null
    /// where the kind cannot be fitted on the shorter span, and that window adds no calibration rows.
    /// </summary>
    private IUnivariateForecaster? Refit(SeriesFit fit, ReadOnlySpan<double> training, IReadOnlyList<double[]>? regressors, TrainingRunSpec spec, Frequency frequency,
        CancellationToken cancellationToken)
    {
        if (fit.IsFallback)
        {
            var season = ((NaiveModel)fit.Fit).Season;
            return training.Length > season ? NaiveModel.Fit(training, season) : null;
        }
        if (ValidateModel(spec, frequency, training.Length).Any()) return null;
        try
        {
            return Fit(training, regressors, spec, frequency, cancellationToken);
        }
        catch (Exception e) when (e is UserInputException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>Adds the forecast of every target in <paramref name="range"/> at every step 1..h, each from the observations before its origin.</summary>
    private static void Accumulate(Action<string, int, double, double> add, IUnivariateForecaster fit, double[][]? regressors, string target, double[] values, IndexRange range, int horizon)
    {
        // Origin n (observations values[..n]) forecasts index n+k-1 at step k; keep those landing in the range.
        var first = Math.Max(fit.MinimumHistory, range.Start - horizon + 1);
        var origins = Enumerable.Range(first, Math.Max(0, range.End - first)).ToList();
        if (origins.Count == 0) return;
        var forecasts = regressors is null ? fit.ForecastAtOrigins(values.AsSpan(0, range.End), origins, horizon)
            : ((IRegressionForecaster)fit).ForecastAtOrigins(values.AsSpan(0, range.End), regressors, origins, horizon);
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
    private sealed class FittedStatisticalModel(StatisticalModelKind<TFit> kind, IReadOnlyList<SeriesFit> fits, ConformalCalibration? calibration,
        IReadOnlyList<SeriesOutcome> skipped, RegressorLayout? layout) : ISeriesStateModel, IInSampleForecasts
    {
        private readonly ILookup<string, SeriesFit> _bySeries = fits.ToLookup(f => f.Series, StringComparer.Ordinal);

        public string Kind => kind.Name;

        public string StateFormat => kind.Traits.StateFormat;

        public ConformalCalibration? Calibration => calibration;

        /// <summary>The regressors the fits read (shared by every series of a model stored per series), or null.</summary>
        public RegressorLayout? Layout => layout;

        public byte[] SaveState() => JsonSerializer.SerializeToUtf8Bytes(new StoredState(
            fits.Where(f => !f.IsFallback).Select(f => new StoredFit(f.Series, f.Target, kind.SaveFit((TFit)f.Fit), f.Transform)).ToList(), calibration,
            fits.Where(f => f.IsFallback).Select(f => new UnivariateFit<NaiveModel>(f.Series, f.Target, (NaiveModel)f.Fit)).ToList(), [.. skipped], layout), StateJson);

        public string SeriesStateFormat => kind.SeriesStateFormat;

        public byte[] SaveSharedState() => JsonSerializer.SerializeToUtf8Bytes(new StoredState([], calibration, Regressors: layout), StateJson);

        public IEnumerable<SeriesState> SaveSeriesStates() => fits.Select(f => new SeriesState(f.Series, f.Target, JsonSerializer.SerializeToUtf8Bytes(f.IsFallback
            ? new StoredSeriesFit(null, null, (NaiveModel)f.Fit)
            : new StoredSeriesFit(kind.SaveFit((TFit)f.Fit), f.Transform, null), StateJson)));

        public IReadOnlyList<TargetForecast> Forecast(ForecastQuery query, CancellationToken cancellationToken = default)
        {
            var result = new List<TargetForecast>();
            var method = PredictionIntervals.Resolve(query.Method, calibration);
            foreach (var fit in _bySeries[query.History.Id])
            {
                var history = query.History[fit.Target];
                if (history.Length < fit.Fit.MinimumHistory)
                    throw new ForecastInputException($"Forecasting '{fit.Target}' needs at least {fit.Fit.MinimumHistory} observations before the origin; {history.Length} were given.");
                if (fit.Transform?.WhyNotApplicable(history, i => query.Frequency.Format(query.Frequency.Add(query.History.Start, i))) is { } outside)
                    throw new ForecastInputException($"Forecasting '{fit.Target}' of series '{fit.Series}': the model was fitted with {outside}.");
                if (fit.Transform is { } transform) history = transform.Forward(history);
                (double[] mean, double[] variance) forecast;
                var regression = RegressionOf(fit, layout);
                var regressors = regression is null ? null : Regressors(query);
                try
                {
                    forecast = regression is null ? fit.Fit.Forecast(history, query.Horizon) : regression.Forecast(history, regressors!, query.Horizon);
                }
                catch (SarimaInputException e)
                {
                    throw new ForecastInputException(e.Message); // the history the client posted cannot be filtered
                }
                var (mean, variance) = forecast;
                var intervals = method == IntervalMethod.Conformal
                    ? PredictionIntervals.Conformal(fit.Target, mean, variance.Select(v => Math.Sqrt(Math.Max(0, v))).ToArray(), calibration!, query.Levels)
                    : PredictionIntervals.Gaussian(fit.Target, mean, variance, query.Levels);
                // Made on the transformed scale: bounds map back one by one, the point with its variance (bias adjustment).
                if (fit.Transform is { } scale) intervals = scale.BackTransform(intervals, variance);
                if (fit.Fit.NonNegative) intervals = PredictionIntervals.AtLeast(intervals, 0);
                if (query.Explain && regression is not null)
                {
                    var parts = regression.Contributions(regressors!, history.Length, query.Horizon);
                    intervals = intervals with { Contributions = layout!.Columns.Select((c, j) => (c.Name, parts[j])).ToDictionary(p => p.Name, p => p.Item2, StringComparer.Ordinal) };
                }
                result.Add(intervals);
            }
            if (result.Count == 0)
                throw new ForecastInputException(skipped.FirstOrDefault(o => o.Series == query.History.Id) is { } skip
                    ? $"The model has no fit for series '{skip.Series}': it was skipped in training ({skip.Reason})."
                    : $"The model was not trained on series '{query.History.Id}'.");
            return result;
        }

        public IReadOnlyList<InSampleForecast> InSample(ForecastQuery query, CancellationToken cancellationToken = default)
        {
            var result = new List<InSampleForecast>();
            foreach (var fit in _bySeries[query.History.Id])
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (RegressionOf(fit, layout) is not null)
                    throw new ForecastInputException($"In-sample forecasts of '{fit.Target}' would need its regressors; the model's fits read known-future columns.");
                var history = query.History[fit.Target];
                var values = fit.Transform?.Forward(history) ?? history;
                var first = Math.Max(1, fit.Fit.MinimumHistory);
                var origins = Enumerable.Range(first, Math.Max(0, values.Length - first)).ToList();
                double[] mean, variance;
                try
                {
                    mean = fit.Fit.ForecastAtOrigins(values, origins, 1).Select(row => row[0]).ToArray();
                    // The one-step variance at the end of the history, the steady state the filter settles in, as the metrics' spread.
                    variance = Enumerable.Repeat(origins.Count == 0 ? 0 : fit.Fit.Forecast(values, 1).Variance[0], mean.Length).ToArray();
                }
                catch (SarimaInputException e)
                {
                    throw new ForecastInputException(e.Message);
                }
                var intervals = PredictionIntervals.Gaussian(fit.Target, mean, variance, query.Levels);
                if (fit.Transform is { } scale) intervals = scale.BackTransform(intervals, variance);
                result.Add(new InSampleForecast(first, fit.Fit.NonNegative ? PredictionIntervals.AtLeast(intervals, 0) : intervals));
            }
            return result;
        }

        /// <summary>
        /// The regressors over the history and the forecast steps: the history's known-future columns, then the query's
        /// future rows; the first step without a value is refused, naming its time and column.
        /// </summary>
        private double[][] Regressors(ForecastQuery query)
        {
            var (history, frequency) = (query.History, query.Frequency);
            var length = history.Length + query.Horizon;
            var regressors = layout!.Values(history, 0, length, query.Future, frequency);
            if (layout.FirstMissing(regressors, 0, 0, length) is var (column, row))
                throw new ForecastInputException($"Series '{history.Id}': known-future column '{column}' has no value at {frequency.Format(frequency.Add(history.Start, row))}"
                    + (row < history.Length ? "; the model's regressors need a value at every step of the history." : ", a forecast step; post it in 'future' or store it in the dataset's future rows."));
            return regressors;
        }
    }
}
