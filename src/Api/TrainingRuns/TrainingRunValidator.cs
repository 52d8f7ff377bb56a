using Forecasting.Api.Auth;
using Forecasting.Domain;
using Forecasting.Domain.Windows;
using Forecasting.Persistence;
using Forecasting.Training.Models;
using Microsoft.Extensions.Options;
using Forecasting.Training.Neural.Backends;
using Forecasting.Training.NeuralModels;

namespace Forecasting.Api.TrainingRuns;

/// <summary>
/// Checks a training request against its dataset and model kind before anything is queued, so a bad
/// request is a 400 naming each field rather than a run that fails later.
/// </summary>
public sealed class TrainingRunValidator(DatasetStore datasets, ModelKindRegistry kinds, IOptions<WorkLimitsOptions> limits)
{
    private static readonly string[] Strategies = ["direct", "recursive", "seq2seq"];
    private static readonly string[] Losses = ["mse", "huber", "mae"];
    private static readonly string[] Optimizers = ["sgd", "adam", "nadam"];
    private static readonly string[] Scalings = ["none", "divide", "standard"];

    public async Task<IReadOnlyList<FieldError>> ValidateAsync(TrainingRunSpec spec, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        void Error(string field, string message) => errors.Add(new FieldError(field, message));

        var kind = kinds.Find(spec.Model?.Kind);
        if (spec.Model is null) Error("model", "model is required, e.g. { \"kind\": \"seasonal_naive\", \"season\": 7 }.");
        else if (kind is null) Error("model.kind", $"Unknown model kind '{spec.Model.Kind}'. Available: {string.Join(", ", kinds.Names.Order())}.");
        if (spec.Targets is not { Count: > 0 }) Error("targets", "At least one target column is required.");
        if (spec.Horizon is < 1 or > 10_000) Error("horizon", "horizon must be between 1 and 10000.");
        if (spec.WindowLength is < 1 or > 100_000) Error("windowLength", "windowLength must be between 1 and 100000.");
        if (!Strategies.Contains(spec.Strategy)) Error("strategy", $"strategy must be one of {string.Join(", ", Strategies)}.");
        if (spec.Levels is { } levels)
        {
            if (levels.Count is 0 or > 20) Error("levels", "Give between 1 and 20 interval levels in percent, e.g. [80, 95].");
            for (var i = 0; i < levels.Count; i++)
                if (!(levels[i] > 0 && levels[i] < 100)) Error($"levels[{i}]", "A level is a percentage strictly between 0 and 100.");
            if (levels.Distinct().Count() != levels.Count) Error("levels", "Each level may appear once.");
        }
        ValidateScaling(spec.Scaling, Error);
        ValidateTraining(spec.Training, Error);
        if (kind is not null and not NeuralModelKind && spec.Training?.Backend is { } backend and not NeuralBackends.Auto)
            Error("training.backend", $"training.backend applies to the neural kinds; '{kind.Name}' is fitted by the statistical engine (omit it or use auto).");
        if (spec.DatasetId == Guid.Empty)
        {
            Error("datasetId", "datasetId is required.");
            return errors;
        }

        var frame = await datasets.LoadAsync(spec.DatasetId, null, null, cancellationToken);
        if (frame is null)
        {
            Error("datasetId", $"Dataset '{spec.DatasetId}' does not exist.");
            return errors;
        }
        if (spec.Series is { Count: > 0 })
            foreach (var id in spec.Series.Where(id => frame.Series.All(s => s.Id != id)))
                Error("series", $"Dataset has no series '{id}'.");
        CheckColumns(frame, spec.Targets ?? [], "targets", requireNumeric: true, Error);
        CheckColumns(frame, spec.Inputs ?? [], "inputs", requireNumeric: true, Error);
        CheckColumns(frame, spec.KnownFuture ?? [], "knownFuture", requireNumeric: false, Error);
        if (errors.Count > 0 || kind is null) return errors;

        var selected = spec.Series is { Count: > 0 } ids ? frame.Series.Where(s => ids.Contains(s.Id)).ToList() : frame.Series;
        var (periods, splitErrors) = SplitResolver.Resolve(spec.Split, frame.Frequency, selected);
        errors.AddRange(splitErrors);
        if (errors.Count > 0) return errors;
        errors.AddRange(kind.Validate(spec, frame with { Series = selected }, periods));
        if (errors.Count == 0) CheckWork(spec, periods, Error);
        return errors;
    }

    /// <summary>Limits:MaxEpochWindowsPerRun caps what one run may ask for: epochs × training windows over all selected series.</summary>
    private void CheckWork(TrainingRunSpec spec, IReadOnlyDictionary<string, SeriesPeriods> periods, Action<string, string> error)
    {
        long windows = periods.Values.Sum(p => (long)WindowBuilder.CountIn(p.Train, spec.WindowLength ?? 1, spec.Horizon));
        long epochs = spec.Training?.Epochs ?? 1;
        var max = limits.Value.MaxEpochWindowsPerRun;
        if (epochs * windows > max)
            error("training.epochs", $"{epochs} epochs × {windows} training windows = {epochs * windows} exceeds this service's limit of {max} per run " +
                "(Limits:MaxEpochWindowsPerRun); ask for fewer epochs, a shorter training period or fewer series.");
    }

    private static void CheckColumns(DatasetFrame frame, IReadOnlyList<string> names, string field, bool requireNumeric, Action<string, string> error)
    {
        for (var i = 0; i < names.Count; i++)
        {
            var column = frame.Column(names[i]);
            if (column is null)
                error($"{field}[{i}]", $"Dataset has no column '{names[i]}'. Columns: {string.Join(", ", frame.Columns.Select(c => c.Name))}.");
            else if (requireNumeric && column.Kind != ColumnKind.Numeric)
                error($"{field}[{i}]", $"Column '{names[i]}' is categorical; {field} must be numeric (categorical columns can be knownFuture covariates).");
        }
    }

    private static void ValidateScaling(ScalingSpec? scaling, Action<string, string> error)
    {
        if (scaling is null) return;
        if (!Scalings.Contains(scaling.Kind)) error("scaling.kind", $"scaling.kind must be one of {string.Join(", ", Scalings)}.");
        if (scaling.Kind == "divide" && scaling.By is not > 0) error("scaling.by", "scaling 'divide' needs a positive 'by'.");
    }

    private static void ValidateTraining(TrainingSettings? training, Action<string, string> error)
    {
        if (training is null) return;
        if (!Losses.Contains(training.Loss)) error("training.loss", $"loss must be one of {string.Join(", ", Losses)}.");
        if (!Optimizers.Contains(training.Optimizer)) error("training.optimizer", $"optimizer must be one of {string.Join(", ", Optimizers)}.");
        if (training.LearningRate is { } lr && !(lr > 0 && lr <= 10)) error("training.learningRate", "learningRate must be in (0, 10].");
        if (training.Momentum is { } m && !(m >= 0 && m < 1)) error("training.momentum", "momentum must be in [0, 1).");
        if (training.Epochs is < 1 or > 100_000) error("training.epochs", "epochs must be between 1 and 100000.");
        if (training.BatchSize is < 1 or > 65_536) error("training.batchSize", "batchSize must be between 1 and 65536.");
        if (training.Patience is < 0) error("training.patience", "patience must not be negative.");
        if (!NeuralBackends.Choices.Contains(training.Backend))
            error("training.backend", $"backend must be one of {string.Join(", ", NeuralBackends.Choices)}.");
        if (training.ShuffleBuffer is < 1 or > 10_000_000)
            error("training.shuffleBuffer", "shuffleBuffer must be between 1 and 10000000 windows (omit it for a full reshuffle each epoch).");
    }
}
