using System.Globalization;
using Forecasting.Tests.Shared;

namespace Forecasting.Training.Tests.Statistical;

/// <summary>
/// The chapter's rail series from the CTA file: parse date and rail columns, drop duplicate rows (the chapter's
/// <c>drop_duplicates</c>), one value per date, in date order.
/// </summary>
internal static class CtaRailSeries
{
    private static readonly Lazy<SortedDictionary<DateOnly, double>> Rail = new(Load);

    /// <summary>Rail boardings for every day from <paramref name="first"/> to <paramref name="last"/> inclusive.</summary>
    public static double[] Between(DateOnly first, DateOnly last)
    {
        var values = new List<double>();
        for (var day = first; day <= last; day = day.AddDays(1))
            values.Add(Rail.Value.TryGetValue(day, out var v) ? v : throw new InvalidOperationException($"CTA data has no row for {day:yyyy-MM-dd}."));
        return [.. values];
    }

    private static SortedDictionary<DateOnly, double> Load()
    {
        var rows = new SortedDictionary<DateOnly, double>();
        var seen = new HashSet<string>();
        foreach (var line in File.ReadLines(CtaData.RequiredPath).Skip(1))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            var fields = line.Split(',');
            // The chapter drops total_rides first, then exact duplicate rows.
            if (!seen.Add(string.Join(',', fields.Take(4)))) continue;
            var date = DateOnly.ParseExact(fields[0], "MM/dd/yyyy", CultureInfo.InvariantCulture);
            if (!rows.TryAdd(date, double.Parse(fields[3], CultureInfo.InvariantCulture)))
                throw new InvalidOperationException($"CTA data has two different rows for {date:yyyy-MM-dd}.");
        }
        return rows;
    }
}
