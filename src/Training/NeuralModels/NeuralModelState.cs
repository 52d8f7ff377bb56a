using Forecasting.Domain;
using Forecasting.Domain.Windows;
using Forecasting.Training.Models;

namespace Forecasting.Training.NeuralModels;

/// <summary>
/// What a neural model needs besides its weights to turn history into forecasts: the features and their
/// scaling, the window, the strategy, per-step residual variances for intervals without dropout, and the
/// conformal calibration (validation errors in units of the model's spread).
/// Stored as JSON in the safetensors file's metadata, so the weights download is the whole model (the strategy and
/// backend by their wire names). <see cref="Backend"/> records which engine trained the weights (they are served by
/// the managed engine either way).
/// Scaling is the panel's (<see cref="Scaling"/>), or with per-series scaling each series' own (<see cref="SeriesScaling"/>,
/// by series id; <see cref="Scaling"/> is then empty). <see cref="ResidualVariance"/> is in data units for panel
/// scaling; for per-series scaling it is in units of each series' own error spread (<see cref="SeriesSpread"/>: the
/// root mean squared error of the model on the series' training period; with dropout, whose conformal spread comes from
/// MC passes, the series' standard deviation), so a series' variance is it times its spread².
/// A model stored before per-series scaling has neither and reads as panel scaling.
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
    TrainingBackend Backend = TrainingBackend.Managed,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, ScaleFactors>>? SeriesScaling = null,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>>? SeriesSpread = null)
{
    public const string MetadataKey = "forecasting.model";

    /// <summary>Steps the network outputs per prediction: 1 for recursive, otherwise the horizon.</summary>
    public int OutputSteps => Strategy == ForecastStrategy.Recursive ? 1 : Horizon;

    /// <summary>
    /// The scaler of a series: the panel's, or with per-series scaling the series' own statistics from its training
    /// period; a series the model was not trained on gets standard statistics fitted on the history it is forecast from.
    /// </summary>
    public Scaler ScalerFor(Series history)
    {
        if (SeriesScaling is null) return new Scaler(Scaling);
        if (SeriesScaling.TryGetValue(history.Id, out var own)) return new Scaler(own);
        var columns = SeriesScaling.Values.FirstOrDefault()?.Keys ?? [];
        var whole = new Dictionary<string, SeriesPeriods> { [history.Id] = new(new IndexRange(0, history.Length), null, null) };
        return Scaler.Fit(new ScalingSpec { Kind = ScalingKind.Standard }, columns, [history], whole);
    }

    /// <summary>
    /// The unit <see cref="ResidualVariance"/> is in for a target of a series (<paramref name="scaler"/>: its scaler):
    /// 1 (data units) under panel scaling; under per-series scaling the series' own error spread, or for a series the
    /// model was not trained on its scale times the trained series' median ratio of spread to scale.
    /// </summary>
    public double SpreadUnit(string series, Scaler scaler, string target)
    {
        if (SeriesScaling is null || SeriesSpread is null) return 1;
        if (SeriesSpread.TryGetValue(series, out var own)) return own[target];
        var ratios = SeriesSpread.Select(s => s.Value[target] / SeriesScaling[s.Key][target].Scale).Order().ToArray();
        return scaler.For(target).Scale * (ratios.Length == 0 ? 1 : ratios[ratios.Length / 2]);
    }

    public FeatureLayout Layout => new(Features, Targets);
}
