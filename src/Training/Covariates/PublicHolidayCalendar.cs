using Forecasting.Domain;
using PublicHoliday;

namespace Forecasting.Training.Covariates;

/// <summary>
/// A country's public holidays from the PublicHoliday library (national calendars, on their observed days: the US
/// Christmas of Saturday 2021-12-25 is Friday the 24th).
/// </summary>
public sealed class PublicHolidayCalendar : IHolidayCalendar
{
    private readonly IPublicHolidays _holidays;

    private PublicHolidayCalendar(IPublicHolidays holidays) => _holidays = holidays;

    /// <summary>
    /// The ISO 3166-1 codes the library has a calendar for, upper case and sorted; of two codes for one calendar the
    /// first (its enum also spells Poland PO, which ISO does not assign, beside PL).
    /// </summary>
    public static IReadOnlyList<string> Countries { get; } = Enum.GetNames<PublicHolidayCountryCode>()
        .Select(c => c.ToUpperInvariant()).Where(IsServed).Distinct().Order(StringComparer.Ordinal)
        .GroupBy(c => PublicHolidayFactory.GetPublicHolidayForCountry(c).GetType()).Select(g => g.First()).Order(StringComparer.Ordinal).ToList();

    /// <summary>The country's calendar, or null when the library has none for the code.</summary>
    public static PublicHolidayCalendar? For(string? country) =>
        country is { Length: 2 } && IsServed(country.ToUpperInvariant()) ? new PublicHolidayCalendar(PublicHolidayFactory.GetPublicHolidayForCountry(country.ToUpperInvariant())) : null;

    public IReadOnlySet<DateOnly> Between(DateOnly from, DateOnly to)
    {
        var days = new HashSet<DateOnly>();
        // A holiday can be observed in the year before its own (New Year's Day on a Saturday), so ask one year either side.
        for (var year = from.Year - 1; year <= to.Year + 1; year++)
            foreach (var date in _holidays.PublicHolidays(year))
                if (DateOnly.FromDateTime(date) is var day && day >= from && day <= to) days.Add(day);
        return days;
    }

    /// <summary>Whether the factory answers the code (its enum also holds spellings it refuses).</summary>
    private static bool IsServed(string code)
    {
        try
        {
            PublicHolidayFactory.GetPublicHolidayForCountry(code);
            return true;
        }
        catch (ArgumentOutOfRangeException)
        {
            return false;
        }
    }
}
