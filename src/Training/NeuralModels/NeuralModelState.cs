using Forecasting.Domain;
using Forecasting.Domain.Windows;
using Forecasting.Training.Models;

namespace Forecasting.Training.NeuralModels;

/// <summary>
/// What a neural model needs besides its weights to turn history into forecasts: the features and their
/// scaling, the window, the strategy, per-step residual variances (data units) for intervals without dropout, and the
/// conformal calibration (validation errors in units of the model's spread).
/// Stored as JSON in the safetensors file's metadata, so the weights download is the whole model (the strategy and
/// backend by their wire names). <see cref="Backend"/> records which engine trained the weights (they are served by
/// the managed engine either way).
/// </summary>
public sealed record NeuralModelState(
    string Kind,
    ForecastStrategy Strategy,
    int WindowLength,
    int Horizon,
    IReadOnlyList<FeatureColumn> Features,
    IReadOnlyList<string> Targets,
    IReadOnlyDictionary<string, ScaleFactors> Scaling,
    TargetShape Shape,
    double[][] ResidualVariance,
    bool HasDropout,
    ConformalCalibration? Calibration = null,
    TrainingBackend Backend = TrainingBackend.Managed)
{
    public const string MetadataKey = "forecasting.model";

    /// <summary>Steps the network outputs per prediction: 1 for recursive, otherwise the horizon.</summary>
    public int OutputSteps => Strategy == ForecastStrategy.Recursive ? 1 : Horizon;

    public Scaler Scaler => new(Scaling);

    public FeatureLayout Layout => new(Features, Targets);
}
