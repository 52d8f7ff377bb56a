namespace Forecasting.Api.Models;

/// <summary>
/// Models whose validation figures are comparable: the same dataset, the same series with the same validation
/// periods (<c>scope</c>), the same ranked targets and the same horizon (a figure averages steps 1..horizon). <c>scope</c> is null for a model stored before scopes were kept,
/// which then stands alone.
/// </summary>
public sealed record LeaderboardGroup(ValidationScope? Scope, IReadOnlyList<string> Targets, int Horizon, IReadOnlyList<LeaderboardEntry> Models);
