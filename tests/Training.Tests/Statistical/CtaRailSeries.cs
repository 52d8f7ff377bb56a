using System.Globalization;
using Forecasting.Tests.Shared;

namespace Forecasting.Training.Tests.Statistical;

/// <summary>
/// The chapter's rail series from the CTA file: parse date and rail columns, drop duplicate rows (the chapter's
/// <c>drop_duplicates</c>), one value per date, in date order.
/// </summary>
internal static class CtaRailSeries
{
    private static readonly Lazy<SortedDictionary<DateOnly, (double Rail, string DayType)>> Rows = new(Load);

    /// <summary>Rail boardings for every day from <paramref name="first"/> to <paramref name="last"/> inclusive.</summary>
    public static double[] Between(DateOnly first, DateOnly last)
    {
        var values = new List<double>();
        for (var day = first; day <= last; day = day.AddDays(1))
            values.Add(Row(day).Rail);
        return [.. values];
    }

    /// <summary>The day_type (W weekday, A Saturday, U Sunday or holiday) of every day from <paramref name="first"/> to <paramref name="last"/> inclusive.</summary>
    public static string[] DayTypes(DateOnly first, DateOnly last)
    {
        var values = new List<string>();
        for (var day = first; day <= last; day = day.AddDays(1)) values.Add(Row(day).DayType);
        return [.. values];
    }

    private static (double Rail, string DayType) Row(DateOnly day) =>
        Rows.Value.TryGetValue(day, out var row) ? row : throw new InvalidOperationException($"CTA data has no row for {day:yyyy-MM-dd}.");

    private static SortedDictionary<DateOnly, (double Rail, string DayType)> Load()
    {
        var rows = new SortedDictionary<DateOnly, (double Rail, string DayType)>();
        var seen = new HashSet<string>();
        foreach (var line in File.ReadLines(CtaData.RequiredPath).Skip(1))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            var fields = line.Split(',');
            // The chapter drops total_rides first, then exact duplicate rows.
            if (!seen.Add(string.Join(',', fields.Take(4)))) continue;
            var date = DateOnly.ParseExact(fields[0], "MM/dd/yyyy", CultureInfo.InvariantCulture);
            if (!rows.TryAdd(date, (double.Parse(fields[3], CultureInfo.InvariantCulture), fields[1])))
                throw new InvalidOperationException($"CTA data has two different rows for {date:yyyy-MM-dd}.");
        }
        return rows;
    }
}
