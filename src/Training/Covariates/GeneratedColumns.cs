using Forecasting.Domain;

namespace Forecasting.Training.Covariates;

/// <summary>
/// The known-future columns a model computes from timestamps rather than reads from data: its calendar features
/// (<see cref="CalendarColumns"/>), then its holidays (<see cref="HolidayColumns"/>). Training, forecasts, backtests
/// and anomaly checks all add them here, so each computes the same values.
/// </summary>
public static class GeneratedColumns
{
    /// <summary>The series with the generated columns added.</summary>
    public static Series AddTo(Series series, Frequency frequency, IReadOnlyList<CalendarFeature>? calendar, HolidaySpec? holidays)
    {
        series = CalendarColumns.AddTo(series, frequency, calendar);
        return holidays is null ? series : HolidayColumns.AddTo(series, frequency, Calendar(holidays));
    }

    /// <summary>The frame with the generated columns declared and added to every series (not to its future rows, which forecasts compute).</summary>
    public static DatasetFrame AddTo(DatasetFrame frame, IReadOnlyList<CalendarFeature>? calendar, HolidaySpec? holidays)
    {
        frame = CalendarColumns.AddTo(frame, calendar);
        if (holidays is null) return frame;
        var lookup = Calendar(holidays);
        return frame with
        {
            Columns = [.. frame.Columns, .. HolidayColumns.Columns(holidays)],
            Series = frame.Series.Select(s => HolidayColumns.AddTo(s, frame.Frequency, lookup)).ToList(),
        };
    }

    private static PublicHolidayCalendar Calendar(HolidaySpec holidays) =>
        PublicHolidayCalendar.For(holidays.Country) ?? throw new ArgumentException($"No public holiday calendar for country '{holidays.Country}'.");
}
