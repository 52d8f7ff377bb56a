namespace Forecasting.Api.Models;

/// <summary>
/// Models ranked like with like: one group per validation scope and ranked targets (see <see cref="LeaderboardGroup"/>),
/// the group holding the newest model first; within a group, lowest figure first.
/// </summary>
public sealed record Leaderboard(string Sort, string? Target, string Note, IReadOnlyList<LeaderboardGroup> Groups)
{
    public const string Comparability =
        "A model is ranked only against models validated on the same series, the same validation period, the same targets and the same horizon; " +
        "each such set is a group with its own ranks, newest group first.";

    /// <summary>Groups <paramref name="newestFirst"/> and ranks each group by <paramref name="sort"/> (of <paramref name="target"/> when given).</summary>
    public static Leaderboard Rank(IReadOnlyList<ModelResponse> newestFirst, LeaderboardSort sort, string sortText, string? target)
    {
        var groups = newestFirst
            .GroupBy(m => GroupKey(m, target), StringComparer.Ordinal)
            .Select(g =>
            {
                var first = g.First();
                var ranked = g.Select(m => (Model: m, Value: sort.Value(m.Metrics, target)))
                    .OrderBy(e => e.Value is null).ThenBy(e => e.Value ?? 0).ToList();
                return new LeaderboardGroup(first.Metrics.ValidationScope, Targets(first, target), first.Request.Horizon,
                    ranked.Select((e, i) => new LeaderboardEntry(e.Value is null ? null : i + 1, e.Value, e.Model)).ToList());
            }).ToList();
        return new Leaderboard(sortText, target, Comparability, groups);
    }

    private static IReadOnlyList<string> Targets(ModelResponse model, string? target) =>
        target is not null ? [target] : model.Request.Targets.Order(StringComparer.Ordinal).ToList();

    private static string GroupKey(ModelResponse model, string? target) =>
        $"{model.Metrics.ValidationScope?.Key ?? $"model {model.Id}"}\n{model.Request.Horizon}\n{string.Join("\n", Targets(model, target))}";
}
