namespace Forecasting.Domain;

/// <summary>One country's public holidays, on the days they are observed.</summary>
public interface IHolidayCalendar
{
    /// <summary>The observed holidays from <paramref name="from"/> to <paramref name="to"/>, both inclusive.</summary>
    IReadOnlySet<DateOnly> Between(DateOnly from, DateOnly to);
}
