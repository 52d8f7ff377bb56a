using Forecasting.Domain;
using Forecasting.Domain.Windows;
using Forecasting.Training.Models;
using Forecasting.Training.Neural;
using Forecasting.Training.Neural.Backends;
using Forecasting.Training.Neural.Serialization;
using Forecasting.Training.Neural.Training;

namespace Forecasting.Training.NeuralModels;

/// <summary>
/// Shared behaviour of the neural kinds: windows built from the request's inputs, known-future covariates and
/// targets (scaled on the training split), trained with the request's loss and optimiser on the training period,
/// early-stopped on windows whose targets lie in the validation period (inputs from before it where needed), and
/// measured in data units on every target of the validation and test periods at every step. Each kind supplies its
/// layers; the backend (<c>training.backend</c>) that trains them is chosen by <see cref="NeuralBackends"/>.
/// </summary>
public abstract class NeuralModelKind(NeuralBackends? backends = null) : IModelKind
{
    private readonly NeuralBackends _backends = backends ?? NeuralBackends.ManagedOnly;

    public abstract string Name { get; }

    /// <summary>The neural family's traits; a kind states its fields, and its strategies where they differ.</summary>
    public ModelKindTraits Traits => _traits ??= new ModelKindTraits
    {
        Family = ModelFamily.Neural,
        Queue = WorkQueue.Neural,
        Fields = Fields,
        Strategies = Strategies,
        StateFormat = SafeTensors.FormatName,
        HasWeightTensors = true,
        BacktestCalibration = false,
        WarmStart = true,
        KnownFuture = true,
        PerSeriesFits = false,
    };

    private ModelKindTraits? _traits;

    /// <summary>The <c>model</c> fields the kind reads.</summary>
    protected abstract IReadOnlyList<ModelField> Fields { get; }

    /// <summary>The strategies this architecture can be trained for.</summary>
    protected virtual IReadOnlyList<ForecastStrategy> Strategies => [ForecastStrategy.Direct, ForecastStrategy.Recursive, ForecastStrategy.Seq2seq];

    /// <summary>Kind-specific checks of the model fields.</summary>
    protected abstract IEnumerable<FieldError> ValidateModel(ModelSpec model, ForecastStrategy strategy);

    /// <summary>The layers for <paramref name="outputs"/> values per prediction (at every step for seq2seq).</summary>
    protected abstract List<LayerSpec> Layers(ModelSpec model, ForecastStrategy strategy, int outputs);

    /// <summary>Which steps carry seq2seq targets (a strided valid convolution crops and down-samples them).</summary>
    protected virtual TargetShape SequenceTargets(ModelSpec model) => TargetShape.EveryStep;

    /// <summary>Whether <c>dropout</c> acts on the model's input features (the first recurrent layer reads them).</summary>
    protected virtual bool DropoutReadsInputs => true;

    protected static bool HasDropout(ModelSpec model) => model.Dropout is > 0 || model.RecurrentDropout is > 0;

    public IEnumerable<FieldError> Validate(TrainingRunSpec spec, DatasetFrame frame, IReadOnlyDictionary<string, SeriesPeriods> periods)
    {
        var errors = new List<FieldError>();
        var strategy = spec.Strategy;
        if (!Strategies.Contains(strategy))
            errors.Add(new FieldError("strategy", $"'{Name}' supports the strategies {string.Join(", ", Strategies.Select(s => s.ToWire()))}; '{strategy.ToWire()}' does not fit this architecture."));
        if (spec.WindowLength is not { } length)
        {
            errors.Add(new FieldError("windowLength", $"'{Name}' needs a windowLength (the chapter uses 56 days)."));
            return errors;
        }
        if (length < 2) errors.Add(new FieldError("windowLength", "windowLength must be at least 2."));
        if (spec.Strategy == ForecastStrategy.Recursive)
            foreach (var input in spec.EffectiveInputs.Where(i => !spec.Targets.Contains(i)))
                errors.Add(new FieldError("inputs", $"A recursive model feeds its forecasts back as inputs, so every input must be a target; '{input}' is not (use direct or seq2seq, or make it knownFuture)."));
        if (spec.Intervals is { Calibration: CalibrationSource.Backtest } intervals && !Traits.BacktestCalibration)
            errors.Add(new FieldError("intervals.calibration", $"'{Name}' cannot be calibrated on a backtest: that refits the model at each of its {intervals.EffectiveWindows} windows, " +
                "and a neural refit is a whole training run. Use \"validation\" (the default), which scores the trained network on every target of the validation period."));
        if (spec.Model.Dropout is < 0 or >= 1) errors.Add(new FieldError("model.dropout", "dropout must be in [0, 1)."));
        if (spec.Model.RecurrentDropout is < 0 or >= 1) errors.Add(new FieldError("model.recurrentDropout", "recurrentDropout must be in [0, 1)."));
        errors.AddRange(ValidateModel(spec.Model, strategy));
        // Input dropout on a single feature drops the whole input: each MC pass sees either the scaled series or
        // zeros, so the samples take two values and every interval's bounds collapse onto them.
        if (spec.Model.Dropout is > 0 && DropoutReadsInputs && FeatureLayout.For(spec, frame).Count == 1)
            errors.Add(new FieldError("model.dropout", "With a single input feature, input dropout zeroes the whole input in a fifth (for 0.2) of the MC passes, so intervals collapse onto two values; use recurrentDropout, or add inputs."));
        if (errors.Count == 0 && _backends.Refusal(spec.Training?.Backend ?? TrainingBackend.Auto, new NetworkSpec(1, Layers(spec.Model, strategy, spec.Targets.Count), length)) is { } refusal)
            errors.Add(new FieldError("training.backend", refusal));

        var needed = length + TrainedSteps(spec);
        var training = periods.Values.Where(p => !p.Train.IsEmpty).Sum(p => WindowBuilder.CountIn(p.Train, length, TrainedSteps(spec)));
        if (training == 0)
            errors.Add(new FieldError("split", $"No training window fits: each needs windowLength + horizon = {needed} consecutive training observations."));
        var validPeriods = periods.Values.Where(p => p.Valid is not null).ToList();
        var shape = ShapeOf(spec);
        if (validPeriods.Count > 0 && validPeriods.Sum(p => WindowBuilder.CountIn(WindowBuilder.ValidationSpan(p.Train, p.Valid!.Value, length, shape), length, spec.Horizon)) == 0)
            errors.Add(new FieldError("split.validFrom", $"No validation window fits: a validation window's targets lie in the period and its inputs may come from before it, " +
                $"so the period needs at least horizon = {spec.Horizon} observations with windowLength = {length} observations before them" +
                (shape.Sequence ? "; a seq2seq window trains on targets at every step, none of which may lie in the training period, so right after trainTo the period needs windowLength + horizon − 1 observations." : ".")));
        return errors;
    }

    private TargetShape ShapeOf(TrainingRunSpec spec) => spec.Strategy == ForecastStrategy.Seq2seq ? SequenceTargets(spec.Model) : TargetShape.Vector;

    /// <summary>Steps of targets per training window: one for recursive models, else the horizon.</summary>
    private static int TrainedSteps(TrainingRunSpec spec) => spec.Strategy == ForecastStrategy.Recursive ? 1 : spec.Horizon;

    public TrainedModel Train(TrainingInput input, IProgress<EpochProgress>? progress, CancellationToken cancellationToken)
    {
        var spec = input.Spec;
        var settings = spec.Training ?? new TrainingSettings();
        var frame = input.Frame;
        var series = spec.Series is { Count: > 0 } ids ? frame.Series.Where(s => ids.Contains(s.Id)).ToList() : frame.Series.ToList();
        var layout = FeatureLayout.For(spec, frame);
        var numeric = spec.Targets.Concat(spec.EffectiveInputs)
            .Concat(spec.EffectiveKnownFuture.Where(c => frame.Column(c)!.Kind == ColumnKind.Numeric)).Distinct().ToList();
        // Per-series scaling fits each series on its own training period (one without any takes the panel's statistics),
        // before windows are built, so every backend trains on the same tensors.
        var perSeries = spec.Scaling?.PerSeries == true;
        var panel = Scaler.Fit(spec.Scaling, numeric, series, input.Periods);
        var scalers = series.Select(s => perSeries && !input.Periods[s.Id].Train.IsEmpty ? Scaler.Fit(spec.Scaling, numeric, [s], input.Periods) : panel).ToList();
        var length = spec.WindowLength!.Value;
        var trainedSteps = TrainedSteps(spec);
        var shape = ShapeOf(spec);
        // The dataset's known-future rows continue the covariates past a series' end, where scoring windows read them.
        var rows = series.Select((s, i) => (Features: WindowBuilder.FeatureRows(s, layout, scalers[i], frame.FutureOf(s.Id)), Targets: WindowBuilder.TargetRows(s, spec.Targets, scalers[i]))).ToList();

        WindowSet Windows(Func<SeriesPeriods, IndexRange?> period, int horizon, TargetShape targets) => WindowBuilder.Build(
            series.Select((s, i) => (i, rows[i].Features, rows[i].Targets, period(input.Periods[s.Id]) ?? default))
                .Where(p => !p.Item4.IsEmpty).ToList(),
            layout.Count, spec.Targets.Count, length, horizon, targets);

        var train = Windows(p => p.Train, trainedSteps, shape);
        // Early stopping monitors windows whose targets lie in the validation period, inputs from before it where needed.
        var valid = Windows(p => p.Valid is { } v ? WindowBuilder.ValidationSpan(p.Train, v, length, shape) : null, trainedSteps, shape);
        var columns = spec.Targets.Concat(numeric).Distinct().ToList();
        IReadOnlyDictionary<string, ScaleFactors> Factors(Scaler scaler) => columns.ToDictionary(c => c, scaler.For);
        var state = new NeuralModelState(Name, spec.Strategy, length, spec.Horizon, layout.Features, spec.Targets,
            perSeries ? new Dictionary<string, ScaleFactors>() : Factors(panel), shape, [], HasDropout(spec.Model),
            SeriesScaling: perSeries ? series.Select((s, i) => (s.Id, i)).ToDictionary(p => p.Id, p => Factors(scalers[p.i]), StringComparer.Ordinal) : null);

        var outputs = trainedSteps * spec.Targets.Count;
        var network = new NetworkSpec(layout.Count, Layers(spec.Model, spec.Strategy, outputs), length).Build(settings.Seed);
        if (input.InitialState is { } initial) WarmStart(network, spec, layout.Features.Select(f => f.Name).ToList(), initial);
        var (backend, backendReason) = _backends.Choose(settings.Backend, network.Spec!, settings.BatchSize);
        state = state with { Backend = backend.Kind };
        var options = new TrainerOptions
        {
            Loss = settings.Loss,
            Optimizer = settings.Optimizer,
            LearningRate = (float)(settings.LearningRate ?? (settings.Optimizer == OptimizerKind.Sgd ? 0.01 : 0.001)),
            Momentum = (float)(settings.Momentum ?? 0),
            Epochs = settings.Epochs,
            BatchSize = settings.BatchSize,
            Patience = valid.Count > 0 ? settings.Patience : null,
            Seed = settings.Seed,
            ShuffleBuffer = settings.ShuffleBuffer,
        };
        // The trainer measures the validation MAE on scaled values; progress and history report it in the data's
        // units, which is one factor when every target of every series has the same scale (one target and panel scaling,
        // or divide scaling).
        var maeScale = scalers.SelectMany(scaler => spec.Targets.Select(t => scaler.For(t).Scale)).Distinct().ToList() is [var only] ? only : (double?)null;
        EpochProgress Progress(EpochReport report) => new(report.Epoch, report.Epochs, report.TrainLoss,
            valid.Count > 0 ? report.ValidLoss : null, valid.Count > 0 ? report.ValidMae * maeScale : null);
        var result = backend.Fit(network, ToSequences(train), valid.Count > 0 ? ToSequences(valid) : null, options, report =>
        {
            if (!double.IsFinite(report.TrainLoss) || (valid.Count > 0 && !double.IsFinite(report.ValidLoss)))
                throw new ArgumentException($"Training diverged: the loss is not finite after epoch {report.Epoch}. Lower the learning rate, scale the data (scaling: standard), or use a smaller model.");
            progress?.Report(Progress(report));
        }, cancellationToken, input.Checkpoints);
        // A resumed fit's history includes the epochs before its checkpoint.
        var history = result.History.Select(Progress).ToList();

        // Metrics: every target of a period at every step 1..horizon, each window taking its inputs from before the
        // period where needed, as the statistical kinds are scored (the same timestamps for every kind).
        var model = new NeuralForecaster(network, state);
        List<ScoredForecast> Score(Func<SeriesPeriods, IndexRange?> period)
        {
            var ranges = series.Select(s => period(input.Periods[s.Id]) ?? default).ToList();
            var windows = WindowBuilder.BuildScoring(
                series.Select((s, i) => (i, rows[i].Features, ranges[i])).Where(p => !p.Item3.IsEmpty).ToList(), layout.Count, length, spec.Horizon);
            return model.Score(series, rows.Select(r => r.Features).ToList(), ranges, windows);
        }
        var validRows = Score(p => p.Valid);
        var testRows = Score(p => p.Test);
        var tailRows = Score(p => CalibrationPeriod.TrainingTail(p, frame.Frequency, length));
        // Per-series scaling measures errors in units of each series' own error spread (the model's RMSE on its training
        // period): a series' standard deviation also holds its season and trend, which a fast mover's errors lack and a
        // slow mover's noise is nearly all of, so in those units fast movers would be covered too widely and slow ones too
        // narrowly. A series' spread is then the pooled validation RMSE (in those units) times its own. With dropout the
        // conformal spread is the MC passes' (each unscaled with its series' statistics already); the residual variance,
        // read only by single-pass model intervals, is then in units of each series' standard deviation.
        var trainRows = validRows.Count == 0 || (perSeries && !state.HasDropout) ? Score(p => p.Train) : null;
        var spreads = perSeries ? SeriesSpreads(state.HasDropout ? [] : trainRows!, series, spec.Targets, scalers) : null;
        double Unit(ScoredForecast row) => spreads is null ? 1 : spreads[row.Series!][row.Target];
        var residualVariance = ResidualVariance(validRows.Count > 0 ? validRows : trainRows!, spec.Targets, spec.Horizon, Unit);
        if (!state.HasDropout)
        {
            // Without dropout the spread is the validation RMSE per step (in the series' unit), so the conformal width
            // is the quantile of the absolute errors in that unit.
            validRows = WithRmseSpread(validRows, residualVariance, spec.Targets, Unit);
            testRows = WithRmseSpread(testRows, residualVariance, spec.Targets, Unit);
            tailRows = WithRmseSpread(tailRows, residualVariance, spec.Targets, Unit);
        }
        var calibrationRows = validRows.Concat(tailRows).ToList();
        var calibration = ConformalCalibration.From(calibrationRows);
        var levels = spec.Levels ?? IntervalScoring.DefaultLevels;
        var mase = MaseScales.For(input);
        var validation = IntervalScoring.Metrics(validRows, calibration, levels, mase, spec.Bounds);
        var test = IntervalScoring.Metrics(testRows, calibration, levels, mase, spec.Bounds);
        model.State = state with { ResidualVariance = residualVariance, Calibration = calibration, SeriesSpread = spreads };
        var details = new Dictionary<string, object>
        {
            ["bestEpoch"] = result.BestEpoch,
            ["stoppedEarly"] = result.StoppedEarly,
            ["trainingWindows"] = train.Count,
            ["validationWindows"] = valid.Count,
            ["features"] = layout.Features.Select(f => f.Name).ToList(),
            ["architecture"] = network.Spec!.ToJson(),
            ["backend"] = backend.Kind,
            ["backendChoice"] = backendReason,
            ["threads"] = result.Threads,
        };
        if (result.ThreadsChoice is { } threadsChoice) details["threadsChoice"] = threadsChoice;
        return new TrainedModel(model, validation, test, history, network.ParameterCount, details,
            calibration is null ? null : new CalibrationReport(CalibrationSource.Validation, null, null, calibrationRows.Count));
    }

    public IFittedModel Load(byte[] state, TrainingRunSpec spec) => NeuralForecaster.Load(state);

    /// <summary>
    /// Starts <paramref name="network"/> from a stored model's weights: the same architecture (layers, sizes, window)
    /// reading the same features for the same targets, else the warm start is refused naming what differs.
    /// </summary>
    private static void WarmStart(Network network, TrainingRunSpec spec, IReadOnlyList<string> features, byte[] initial)
    {
        var from = SafeTensors.LoadNetwork(initial);
        var state = NeuralForecaster.Load(initial).State;
        string? mismatch =
            from.Spec?.ToJson() != network.Spec!.ToJson() ? $"its architecture is {from.Spec?.ToJson()}, this run's {network.Spec.ToJson()}"
            : state.Strategy != spec.Strategy || state.Horizon != spec.Horizon ? $"it forecasts {state.Horizon} steps {state.Strategy.ToWire()}, this run {spec.Horizon} steps {spec.Strategy.ToWire()}"
            : !state.Features.Select(f => f.Name).SequenceEqual(features) ? $"it reads the features {string.Join(", ", state.Features.Select(f => f.Name))}, this run {string.Join(", ", features)}"
            : !state.Targets.SequenceEqual(spec.Targets) ? $"it forecasts {string.Join(", ", state.Targets)}, this run {string.Join(", ", spec.Targets)}"
            : null;
        if (mismatch is not null) throw new UserInputException($"training.initFromModelId: the model to start from does not match this run: {mismatch}.");
        for (var i = 0; i < network.Parameters.Count; i++) from.Parameters[i].Value.CopyTo(network.Parameters[i].Value, 0);
    }

    /// <summary>Mean squared error per [step][target], each error in its row's <paramref name="unit"/>; steps without forecasts stay 0.</summary>
    private static double[][] ResidualVariance(List<ScoredForecast> rows, IReadOnlyList<string> targets, int horizon, Func<ScoredForecast, double> unit)
    {
        var sums = Enumerable.Range(0, horizon).Select(_ => new double[targets.Count]).ToArray();
        var counts = Enumerable.Range(0, horizon).Select(_ => new int[targets.Count]).ToArray();
        foreach (var row in rows)
        {
            var j = IndexOf(targets, row.Target);
            var error = (row.Actual - row.Mean) / unit(row);
            sums[row.Step - 1][j] += error * error;
            counts[row.Step - 1][j]++;
        }
        for (var h = 0; h < horizon; h++)
            for (var j = 0; j < targets.Count; j++)
                if (counts[h][j] > 0) sums[h][j] /= counts[h][j];
        return sums;
    }

    /// <summary>
    /// Each series' error spread per target: the root mean squared error of its training-period forecasts (data units),
    /// or its scale (standard deviation) where it has none or they are exact.
    /// </summary>
    private static Dictionary<string, IReadOnlyDictionary<string, double>> SeriesSpreads(List<ScoredForecast> trainingRows, IReadOnlyList<Series> series,
        IReadOnlyList<string> targets, IReadOnlyList<Scaler> scalers)
    {
        var rmses = trainingRows.GroupBy(r => (r.Series!, r.Target)).ToDictionary(g => g.Key, g => Math.Sqrt(g.Average(r => (r.Actual - r.Mean) * (r.Actual - r.Mean))));
        return series.Select((s, i) => (s.Id, i)).ToDictionary(p => p.Id, p => (IReadOnlyDictionary<string, double>)targets.ToDictionary(t => t,
            t => rmses.TryGetValue((p.Id, t), out var rmse) && rmse > 0 && double.IsFinite(rmse) ? rmse : scalers[p.i].For(t).Scale), StringComparer.Ordinal);
    }

    private static List<ScoredForecast> WithRmseSpread(List<ScoredForecast> rows, double[][] variance, IReadOnlyList<string> targets, Func<ScoredForecast, double> unit) =>
        rows.Select(r => r with { Spread = Math.Sqrt(variance[r.Step - 1][IndexOf(targets, r.Target)]) * unit(r) }).ToList();

    private static int IndexOf(IReadOnlyList<string> targets, string target)
    {
        for (var j = 0; j < targets.Count; j++) if (targets[j] == target) return j;
        throw new InvalidOperationException($"'{target}' is not a target.");
    }

    private static SequenceData ToSequences(WindowSet set) =>
        new(set.Inputs, set.Count, set.Steps, set.Features, set.Targets, set.OutSteps, set.Outputs);
}
