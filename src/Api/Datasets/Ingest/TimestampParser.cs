using System.Globalization;

namespace Forecasting.Api.Datasets.Ingest;

/// <summary>
/// Parses time-index cells: integers for step series, otherwise dates. With an explicit format only that
/// format is accepted; without one ISO and the common US form (the CTA file's 01/31/2019) are tried, and the
/// format that worked last is tried first, so a million rows cost one exact parse each.
/// </summary>
internal sealed class TimestampParser
{
    private const DateTimeStyles Styles = DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces;

    // Month-first before day-first is deliberate: ambiguous dd/MM files must say dateFormat.
    private static readonly string[] CommonFormats =
    [
        "yyyy-MM-dd", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd HH:mm",
        "yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mm:ssK",
        "MM/dd/yyyy", "M/d/yyyy", "MM/dd/yyyy HH:mm", "MM/dd/yyyy HH:mm:ss", "M/d/yyyy H:mm", "M/d/yyyy H:mm:ss",
        "yyyy/MM/dd", "yyyy/M/d", "yyyy-MM", "yyyy-M-d", "yyyy",
    ];

    private readonly string? _format;
    private string? _lastFormat;

    public TimestampParser(string? dateFormat, bool steps)
    {
        _format = string.IsNullOrWhiteSpace(dateFormat) ? null : dateFormat.Trim();
        IsSteps = steps;
    }

    /// <summary>True when the time index holds integer step numbers rather than dates.</summary>
    public bool IsSteps { get; }

    /// <summary>Words for error messages: what a cell should look like.</summary>
    public string Expected => IsSteps
        ? "an integer step number"
        : _format is not null ? $"a date in the format {_format}" : "a date such as 2019-01-31, 2019-01-31T13:00:00 or 01/31/2019 (or pass dateFormat)";

    /// <summary>Whether text looks like a step number (decides steps vs dates when no frequency is given).</summary>
    public static bool LooksLikeStep(string text) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite, CultureInfo.InvariantCulture, out _);

    /// <summary>Parses one cell into step numbers or <see cref="DateTime"/> ticks (UTC).</summary>
    public bool TryParse(string text, out long value)
    {
        value = 0;
        if (IsSteps)
            return long.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite, CultureInfo.InvariantCulture, out value);
        if (!TryParseDate(text, out var time)) return false;
        value = time.Ticks;
        return true;
    }

    public bool TryParseDate(string text, out DateTime time)
    {
        if ((_format is null || _format is "yyyy-MM-dd" or "MM/dd/yyyy") && FastDateParser.TryParse(text.AsSpan().Trim(), _format, out time))
            return true;
        if (_format is not null)
            return DateTime.TryParseExact(text, _format, CultureInfo.InvariantCulture, Styles, out time);
        if (_lastFormat is not null && DateTime.TryParseExact(text, _lastFormat, CultureInfo.InvariantCulture, Styles, out time))
            return true;
        foreach (var format in CommonFormats)
        {
            if (!DateTime.TryParseExact(text, format, CultureInfo.InvariantCulture, Styles, out time)) continue;
            _lastFormat = format;
            return true;
        }
        // Other ISO 8601 variants (offsets, fractions); culture-neutral, so no dd/MM guessing.
        return DateTime.TryParse(text, CultureInfo.InvariantCulture, Styles, out time)
            && text.Length >= 8 && char.IsAsciiDigit(text.TrimStart()[0]);
    }
}
