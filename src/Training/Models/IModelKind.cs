using Forecasting.Domain;

namespace Forecasting.Training.Models;

/// <summary>
/// One model kind of the service ("naive", "sarima", "lstm", …): validates a request before it is
/// queued, trains on a dataset, and loads a stored model back from its state bytes.
/// </summary>
public interface IModelKind
{
    /// <summary>The API's <c>model.kind</c>.</summary>
    string Name { get; }

    /// <summary>What the service asks of the kind: family, queue, fields, strategies, stored format and abilities.</summary>
    ModelKindTraits Traits { get; }

    /// <summary>Kind-specific problems with a request, found before anything is queued.</summary>
    IEnumerable<FieldError> Validate(TrainingRunSpec spec, DatasetFrame frame, IReadOnlyDictionary<string, SeriesPeriods> periods);

    /// <summary>Fits the model and measures it on the validation and test periods.</summary>
    TrainedModel Train(TrainingInput input, IProgress<EpochProgress>? progress, CancellationToken cancellationToken);

    /// <summary>Rebuilds a fitted model from <see cref="IFittedModel.SaveState"/>'s bytes.</summary>
    IFittedModel Load(byte[] state, TrainingRunSpec spec);
}

/// <summary>What a model kind trains on: the dataset, the request, and each series' periods.</summary>
public sealed record TrainingInput(DatasetFrame Frame, TrainingRunSpec Spec, IReadOnlyDictionary<string, SeriesPeriods> Periods)
{
    /// <summary>Where an iterative kind resumes from and saves checkpoints; null: train from scratch, save none.</summary>
    public ITrainingCheckpoints? Checkpoints { get; init; }

    /// <summary>A warm start (<c>training.initFromModelId</c>): the stored state of the model whose weights training starts from; null: from scratch.</summary>
    public byte[]? InitialState { get; init; }
}

/// <summary>One epoch of training (statistical kinds report a single step).</summary>
public sealed record EpochProgress(int Epoch, int Epochs, double TrainLoss, double? ValidLoss, double? ValidMae);

public sealed record TrainedModel(
    IFittedModel Model,
    MetricSet? Validation,
    MetricSet? Test,
    IReadOnlyList<EpochProgress> History,
    long ParameterCount,
    IReadOnlyDictionary<string, object>? Details = null,
    CalibrationReport? Calibration = null,
    IReadOnlyList<SeriesOutcome>? Outcomes = null);

/// <summary>A trained model: its state as bytes, and forecasts from any history.</summary>
public interface IFittedModel
{
    string Kind { get; }

    /// <summary>Names the layout of <see cref="SaveState"/>'s bytes, stored beside them.</summary>
    string StateFormat { get; }

    byte[] SaveState();

    /// <summary>The validation errors conformal intervals are calibrated on; null for a model trained without a validation period.</summary>
    ConformalCalibration? Calibration { get; }

    /// <summary>Forecasts the steps after the end of <see cref="ForecastQuery.History"/>.</summary>
    IReadOnlyList<TargetForecast> Forecast(ForecastQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Forecasts several queries (one per series) together; each answer equals <see cref="Forecast"/>'s for its query, or
    /// says why there is none. One at a time here; a neural model passes the windows through its network as one batch.
    /// </summary>
    IReadOnlyList<BatchForecast> ForecastBatch(IReadOnlyList<ForecastQuery> queries, CancellationToken cancellationToken = default)
    {
        var answers = new BatchForecast[queries.Count];
        for (var i = 0; i < queries.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                answers[i] = new BatchForecast(Forecast(queries[i], cancellationToken), null);
            }
            catch (ForecastInputException e)
            {
                answers[i] = new BatchForecast(null, e.Message);
            }
        }
        return answers;
    }
}

/// <summary>
/// A forecast request as the model sees it: one series' history up to the origin (all columns the model
/// reads), the number of steps, interval levels in percent, and sampling passes for MC dropout.
/// <see cref="Future"/> holds known-future covariates for the forecast steps, where the model uses them.
/// <see cref="Method"/> null means conformal where the model is calibrated, else the model's own intervals.
/// <see cref="Explain"/> asks a model with a regression part for each regressor's contribution to its forecasts.
/// </summary>
public sealed record ForecastQuery(Series History, Frequency Frequency, int Horizon, IReadOnlyList<double> Levels, int Samples, Series? Future = null,
    IntervalMethod? Method = null, bool Explain = false);

/// <summary>Point forecasts and interval bounds (per level, in percent) for one target.</summary>
public sealed record TargetForecast(
    string Target,
    double[] Mean,
    IReadOnlyDictionary<double, double[]> Lower,
    IReadOnlyDictionary<double, double[]> Upper)
{
    /// <summary>
    /// With <see cref="ForecastQuery.Explain"/>, from a model with a regression part: each regressor's part of the mean
    /// (coefficient × value) per step, by regressor name; null otherwise.
    /// </summary>
    public IReadOnlyDictionary<string, double[]>? Contributions { get; init; }
}
