using Forecasting.Domain;
using Forecasting.Training.Models;

namespace Forecasting.Api.ModelKinds;

/// <summary>
/// A model kind as clients see it: its name and its traits, with the schema of each model field it reads. <c>queue</c>
/// is where its jobs wait, except statistical jobs of large estimated work (fits weighted by <c>fitCost</c>), which wait in bulk.
/// <c>perSeriesFits</c>: it fits each series on its own, so it takes a <c>fallback</c> and a <c>transform</c>.
/// </summary>
public sealed record ModelKindResponse(
    string Name,
    ModelFamily Family,
    WorkQueue Queue,
    FitCost FitCost,
    IReadOnlyList<ForecastStrategy> Strategies,
    IReadOnlyList<ModelField> Fields,
    string StateFormat,
    bool HasWeightTensors,
    bool BacktestCalibration,
    bool WarmStart,
    bool KnownFuture,
    bool PerSeriesFits)
{
    public static ModelKindResponse From(IModelKind kind)
    {
        var t = kind.Traits;
        return new(kind.Name, t.Family, t.Queue, t.FitCost, t.Strategies, t.Fields, t.StateFormat, t.HasWeightTensors, t.BacktestCalibration, t.WarmStart, t.KnownFuture, t.PerSeriesFits);
    }
}
