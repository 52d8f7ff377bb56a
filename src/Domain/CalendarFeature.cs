using System.Text.Json.Serialization;

namespace Forecasting.Domain;

/// <summary>
/// A feature of each timestamp that a training request's <c>calendar</c> turns into a known-future column (neural
/// kinds), computed for future timestamps too. See <see cref="CalendarColumns"/> for the encoding.
/// </summary>
[JsonConverter(typeof(WireEnumConverter<CalendarFeature>))]
public enum CalendarFeature
{
    /// <summary>Monday … Sunday, one-hot.</summary>
    [JsonStringEnumMemberName("dayOfWeek")] DayOfWeek,

    /// <summary>1 … days in the month, as a sin/cos pair of that month's cycle.</summary>
    [JsonStringEnumMemberName("dayOfMonth")] DayOfMonth,

    /// <summary>1 … days in the year, as a sin/cos pair of that year's cycle.</summary>
    [JsonStringEnumMemberName("dayOfYear")] DayOfYear,

    /// <summary>ISO 8601 week 1 … 52 or 53, as a sin/cos pair of that ISO year's cycle.</summary>
    [JsonStringEnumMemberName("weekOfYear")] WeekOfYear,

    /// <summary>January … December, one-hot.</summary>
    [JsonStringEnumMemberName("month")] Month,

    /// <summary>Q1 … Q4, one-hot.</summary>
    [JsonStringEnumMemberName("quarter")] Quarter,

    /// <summary>00 … 23, one-hot.</summary>
    [JsonStringEnumMemberName("hour")] Hour,
}
