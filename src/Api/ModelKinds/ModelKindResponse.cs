using Forecasting.Domain;
using Forecasting.Training.Models;

namespace Forecasting.Api.ModelKinds;

/// <summary>A model kind as clients see it: its name and its traits, with the schema of each model field it reads.</summary>
public sealed record ModelKindResponse(
    string Name,
    ModelFamily Family,
    WorkQueue Queue,
    IReadOnlyList<ForecastStrategy> Strategies,
    IReadOnlyList<ModelField> Fields,
    string StateFormat,
    bool HasWeightTensors,
    bool BacktestCalibration,
    bool WarmStart,
    bool KnownFuture)
{
    public static ModelKindResponse From(IModelKind kind)
    {
        var t = kind.Traits;
        return new(kind.Name, t.Family, t.Queue, t.Strategies, t.Fields, t.StateFormat, t.HasWeightTensors, t.BacktestCalibration, t.WarmStart, t.KnownFuture);
    }
}
