namespace Forecasting.Domain;

/// <summary>
/// A training request's <c>holidays</c>: the country whose public holidays become known-future columns (neural kinds),
/// computed from each timestamp for future timestamps too. See <see cref="HolidayColumns"/> for the encoding.
/// </summary>
public sealed record HolidaySpec
{
    /// <summary>ISO 3166-1 alpha-2 code, e.g. "US".</summary>
    public string? Country { get; init; }

    /// <summary>A region of the country; refused while only national calendars are served.</summary>
    public string? Subdivision { get; init; }
}
