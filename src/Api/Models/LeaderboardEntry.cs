namespace Forecasting.Api.Models;

/// <summary>A model's place in its group: <c>rank</c> 1 is the lowest figure; null (listed last) when the model has no such figure.</summary>
public sealed record LeaderboardEntry(int? Rank, double? Value, ModelResponse Model);
