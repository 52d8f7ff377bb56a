namespace Forecasting.Api.Http;

/// <summary>The list endpoints' paging: skip ≥ 0, take between 1 and 200 (default 50).</summary>
public static class Paging
{
    public const int DefaultTake = 50;
    public const int MaxTake = 200;

    public static IQueryable<T> Page<T>(this IQueryable<T> query, int? skip, int? take) =>
        query.Skip(Math.Max(0, skip ?? 0)).Take(Math.Clamp(take ?? DefaultTake, 1, MaxTake));
}
