using Forecasting.Domain;
using Forecasting.Domain.Windows;
using Forecasting.Training.Models;
using Forecasting.Training.Neural;
using Forecasting.Training.Neural.Training;

namespace Forecasting.Training.NeuralModels;

/// <summary>
/// Shared behaviour of the neural kinds: windows built inside each period from the request's inputs,
/// known-future covariates and targets (scaled on the training split), trained with the request's loss,
/// optimiser and early stopping, and measured in data units on the validation and test windows
/// (every horizon step from each window's last observation). Each kind supplies its layers.
/// </summary>
public abstract class NeuralModelKind : IModelKind
{
    public abstract string Name { get; }

    /// <summary>The strategies this architecture can be trained for.</summary>
    protected virtual IReadOnlyList<string> Strategies => ["direct", "recursive", "seq2seq"];

    /// <summary>Kind-specific checks of the model fields.</summary>
    protected abstract IEnumerable<FieldError> ValidateModel(ModelSpec model, string strategy);

    /// <summary>The layers for <paramref name="outputs"/> values per prediction (at every step for seq2seq).</summary>
    protected abstract List<LayerSpec> Layers(ModelSpec model, string strategy, int outputs);

    /// <summary>Which steps carry seq2seq targets (a strided valid convolution crops and down-samples them).</summary>
    protected virtual TargetShape SequenceTargets(ModelSpec model) => TargetShape.EveryStep;

    protected static bool HasDropout(ModelSpec model) => model.Dropout is > 0 || model.RecurrentDropout is > 0;

    public IEnumerable<FieldError> Validate(TrainingRunSpec spec, DatasetFrame frame, IReadOnlyDictionary<string, SeriesPeriods> periods)
    {
        var errors = new List<FieldError>();
        var strategy = spec.Strategy.ToWire();
        if (!Strategies.Contains(strategy))
            errors.Add(new FieldError("strategy", $"'{Name}' supports the strategies {string.Join(", ", Strategies)}; '{strategy}' does not fit this architecture."));
        if (spec.WindowLength is not { } length)
        {
            errors.Add(new FieldError("windowLength", $"'{Name}' needs a windowLength (the chapter uses 56 days)."));
            return errors;
        }
        if (length < 2) errors.Add(new FieldError("windowLength", "windowLength must be at least 2."));
        if (spec.Strategy == ForecastStrategy.Recursive)
            foreach (var input in spec.EffectiveInputs.Where(i => !spec.Targets.Contains(i)))
                errors.Add(new FieldError("inputs", $"A recursive model feeds its forecasts back as inputs, so every input must be a target; '{input}' is not (use direct or seq2seq, or make it knownFuture)."));
        if (spec.Model.Dropout is < 0 or >= 1) errors.Add(new FieldError("model.dropout", "dropout must be in [0, 1)."));
        if (spec.Model.RecurrentDropout is < 0 or >= 1) errors.Add(new FieldError("model.recurrentDropout", "recurrentDropout must be in [0, 1)."));
        errors.AddRange(ValidateModel(spec.Model, strategy));

        var needed = length + TrainedSteps(spec);
        var training = periods.Values.Where(p => !p.Train.IsEmpty).Sum(p => WindowBuilder.CountIn(p.Train, length, TrainedSteps(spec)));
        if (training == 0)
            errors.Add(new FieldError("split", $"No training window fits: each needs windowLength + horizon = {needed} consecutive training observations."));
        var validPeriods = periods.Values.Where(p => p.Valid is not null).ToList();
        if (validPeriods.Count > 0 && validPeriods.Sum(p => WindowBuilder.CountIn(p.Valid!.Value, length, spec.Horizon)) == 0)
            errors.Add(new FieldError("split.validFrom", $"No validation window fits: windows lie inside the period, so it needs at least windowLength + horizon = {length + spec.Horizon} observations."));
        return errors;
    }

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
            .Concat((spec.KnownFuture ?? []).Where(c => frame.Column(c)!.Kind == ColumnKind.Numeric));
        var scaler = Scaler.Fit(spec.Scaling, numeric, series, input.Periods);
        var length = spec.WindowLength!.Value;
        var trainedSteps = TrainedSteps(spec);
        var shape = spec.Strategy == ForecastStrategy.Seq2seq ? SequenceTargets(spec.Model) : TargetShape.Vector;
        var rows = series.Select(s => (Features: WindowBuilder.FeatureRows(s, layout, scaler), Targets: WindowBuilder.TargetRows(s, spec.Targets, scaler))).ToList();

        WindowSet Windows(Func<SeriesPeriods, IndexRange?> period, int horizon, TargetShape targets) => WindowBuilder.Build(
            series.Select((s, i) => (i, rows[i].Features, rows[i].Targets, period(input.Periods[s.Id]) ?? default))
                .Where(p => !p.Item4.IsEmpty).ToList(),
            layout.Count, spec.Targets.Count, length, horizon, targets);

        var train = Windows(p => p.Train, trainedSteps, shape);
        var valid = Windows(p => p.Valid, trainedSteps, shape);
        var state = new NeuralModelState(Name, spec.Strategy.ToWire(), length, spec.Horizon, layout.Features, spec.Targets,
            spec.Targets.Concat(numeric).Distinct().ToDictionary(c => c, scaler.For), shape, [], HasDropout(spec.Model));

        var outputs = trainedSteps * spec.Targets.Count;
        var network = new NetworkSpec(layout.Count, Layers(spec.Model, spec.Strategy.ToWire(), outputs), length).Build(settings.Seed);
        var options = new TrainerOptions
        {
            Loss = settings.Loss.ToWire(),
            Optimizer = settings.Optimizer.ToWire(),
            LearningRate = (float)(settings.LearningRate ?? (settings.Optimizer == OptimizerKind.Sgd ? 0.01 : 0.001)),
            Momentum = (float)(settings.Momentum ?? 0),
            Epochs = settings.Epochs,
            BatchSize = settings.BatchSize,
            Patience = valid.Count > 0 ? settings.Patience : null,
            Seed = settings.Seed,
            ShuffleBuffer = settings.ShuffleBuffer,
        };
        var history = new List<EpochProgress>();
        // The trainer measures the validation MAE on scaled values; progress and history report it in the data's
        // units, which is one factor when every target has the same scale (one target, or divide scaling).
        var maeScale = spec.Targets.Select(t => scaler.For(t).Scale).Distinct().ToList() is [var only] ? only : (double?)null;
        var result = Trainer.Fit(network, ToSequences(train), valid.Count > 0 ? ToSequences(valid) : null, options, report =>
        {
            if (!double.IsFinite(report.TrainLoss) || (valid.Count > 0 && !double.IsFinite(report.ValidLoss)))
                throw new ArgumentException($"Training diverged: the loss is not finite after epoch {report.Epoch}. Lower the learning rate, scale the data (scaling: standard), or use a smaller model.");
            var epoch = new EpochProgress(report.Epoch, report.Epochs, report.TrainLoss,
                valid.Count > 0 ? report.ValidLoss : null, valid.Count > 0 ? report.ValidMae * maeScale : null);
            history.Add(epoch);
            progress?.Report(epoch);
        }, cancellationToken);

        // Metrics forecast `horizon` steps from every window's last observation, in data units.
        var model = new NeuralForecaster(network, state);
        var validation = model.Evaluate(series, rows, Windows(p => p.Valid, spec.Horizon, TargetShape.Vector), out var validErrors);
        var test = model.Evaluate(series, rows, Windows(p => p.Test, spec.Horizon, TargetShape.Vector), out _);
        var residuals = validErrors;
        if (validation is null) model.Evaluate(series, rows, Windows(p => p.Train, spec.Horizon, TargetShape.Vector), out residuals);
        model.State = state with { ResidualVariance = residuals };
        var details = new Dictionary<string, object>
        {
            ["bestEpoch"] = result.BestEpoch,
            ["stoppedEarly"] = result.StoppedEarly,
            ["trainingWindows"] = train.Count,
            ["validationWindows"] = valid.Count,
            ["features"] = layout.Features.Select(f => f.Name).ToList(),
            ["architecture"] = network.Spec!.ToJson(),
        };
        return new TrainedModel(model, validation, test, history, network.ParameterCount, details);
    }

    public IFittedModel Load(byte[] state, TrainingRunSpec spec) => NeuralForecaster.Load(state);

    private static SequenceData ToSequences(WindowSet set) =>
        new(set.Inputs, set.Count, set.Steps, set.Features, set.Targets, set.OutSteps, set.Outputs);
}
