namespace Forecasting.Api.Models;

/// <summary>A page of a model's series outcomes (<c>GET /api/models/{id}/series</c>), with the counts over all of them.</summary>
public sealed record ModelSeriesPage(int Fitted, int Fallback, int Skipped, IReadOnlyList<ModelSeriesResponse> Series);
