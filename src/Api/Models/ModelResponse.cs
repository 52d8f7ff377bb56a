using Forecasting.Api.Http;
using Forecasting.Api.Jobs;
using Forecasting.Domain;
using Forecasting.Persistence.Entities;
using Forecasting.Training.Models;

namespace Forecasting.Api.Models;

/// <summary>
/// A trained model as clients see it: its request, metrics (data units), history and size; for a model made by an
/// update without refit, the model it was derived from and the latest observation it was brought up to.
/// </summary>
public sealed record ModelResponse(
    Guid Id,
    string Kind,
    Guid TrainingRunId,
    Guid DatasetId,
    TrainingRunSpec Request,
    ModelMetrics Metrics,
    IReadOnlyList<EpochProgress> History,
    long Parameters,
    double TrainingSeconds,
    string StateFormat,
    IReadOnlyDictionary<string, object>? Details,
    DateTimeOffset CreatedAt,
    Guid? ParentModelId,
    string? UpdatedThrough)
{
    /// <summary>Per-series outcomes (fitted, fallback, skipped) on a single model's page; null in lists and for models trained before they were recorded.</summary>
    public ModelSeriesSummary? Series { get; init; }

    public static ModelResponse From(ModelEntity model) => new(
        model.Id, model.Kind, model.TrainingRunId, model.DatasetId,
        ApiJson.Deserialize<TrainingRunSpec>(model.SpecJson),
        ApiJson.Deserialize<ModelMetrics>(model.MetricsJson),
        ApiJson.Deserialize<List<EpochProgress>>(model.HistoryJson),
        model.ParameterCount, model.TrainingSeconds, model.StateFormat,
        model.DetailsJson is null ? null : ApiJson.Deserialize<Dictionary<string, object>>(model.DetailsJson),
        model.CreatedAt, model.ParentModelId, model.UpdatedThrough);
}
