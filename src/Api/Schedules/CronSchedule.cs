using System.Text.RegularExpressions;
using Cronos;

namespace Forecasting.Api.Schedules;

/// <summary>
/// The cron forms a schedule accepts: standard 5-field cron, 6 fields with seconds first, and the Quartz form
/// stored by earlier versions ("0 0 3 * * ?": seconds first, ? in a day field, day-of-week 1 = Sunday, optional
/// year "*"), which is read as Quartz reads it and converted for the engine. Stored expressions stay as given.
/// </summary>
public static partial class CronSchedule
{
    public const string AcceptedForms =
        "Use standard cron with 5 fields (minute hour day-of-month month day-of-week, e.g. \"0 3 * * *\": every day at 03:00), " +
        "or 6 fields with seconds first (e.g. \"0 0 3 * * *\"). The older form with ? in a day field (e.g. \"0 0 3 * * ?\") is read " +
        "as before, with day-of-week 1 meaning Sunday.";

    /// <summary>The expression in the engine's form (5 or 6 fields, day-of-week 0 = Sunday), or a sentence saying what is wrong.</summary>
    public static bool TryParse(string text, out string engineExpression, out string? problem)
    {
        engineExpression = "";
        var fields = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length is < 5 or > 7)
        {
            problem = $"'{text}' has {fields.Length} field{(fields.Length == 1 ? "" : "s")}, not 5 or 6. {AcceptedForms}";
            return false;
        }
        var quartz = fields.Length == 7 || (fields.Length == 6 && (fields[3] == "?" || fields[5] == "?"));
        if (fields.Length == 7)
        {
            if (fields[6] != "*")
            {
                problem = $"'{text}' names a year ('{fields[6]}'); schedules repeat every year, so the seventh field can only be *. {AcceptedForms}";
                return false;
            }
            fields = fields[..6];
        }
        // A day number too large for an int stays as written and the cron parser refuses it below.
        if (quartz) fields[5] = QuartzDayNumber().Replace(fields[5], m => int.TryParse(m.Value, out var day) ? (day - 1).ToString() : m.Value);
        var expression = string.Join(' ', fields);
        try
        {
            CronExpression.Parse(expression, fields.Length == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);
        }
        catch (CronFormatException e)
        {
            problem = $"'{text}' is not a valid cron expression: {e.Message} {AcceptedForms}";
            return false;
        }
        engineExpression = expression;
        problem = null;
        return true;
    }

    /// <summary>The engine's form of an expression that has been validated.</summary>
    public static string ToEngineExpression(string cron) =>
        TryParse(cron, out var expression, out var problem) ? expression : throw new ArgumentException(problem, nameof(cron));

    /// <summary>The next firing after <paramref name="after"/> in <paramref name="zone"/>; null when it never fires again.</summary>
    public static DateTimeOffset? NextFire(string cron, TimeZoneInfo zone, DateTimeOffset after)
    {
        var expression = ToEngineExpression(cron);
        var format = expression.Split(' ').Length == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard;
        return CronExpression.Parse(expression, format).GetNextOccurrence(after, zone);
    }

    /// <summary>A Quartz day-of-week number (1..7 from Sunday); step sizes (after /) and nth-weekday counts (after #) stay.</summary>
    [GeneratedRegex(@"(?<![/#\d])\d+")]
    private static partial Regex QuartzDayNumber();
}
