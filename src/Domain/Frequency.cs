using System.Globalization;

namespace Forecasting.Domain;

/// <summary>
/// The spacing of a regular series. Time points are stored as ordinals (<see cref="long"/>) so that
/// "the next step" is plain arithmetic: days since 0001-01-01 for D and W (W steps by 7), hours since
/// 0001-01-01 for H, months since year 0 for M, and the integer itself for steps.
/// </summary>
public sealed class Frequency
{
    public static readonly Frequency Daily = new("D", 1);
    public static readonly Frequency Hourly = new("H", 1);
    public static readonly Frequency Weekly = new("W", 7);
    public static readonly Frequency Monthly = new("M", 1);
    public static readonly Frequency Steps = new("steps", 1);
    public static readonly IReadOnlyList<Frequency> All = [Daily, Hourly, Weekly, Monthly, Steps];

    private Frequency(string code, int stride) => (Code, Stride) = (code, stride);

    /// <summary>The API's name: D, H, W, M or steps.</summary>
    public string Code { get; }

    /// <summary>Ordinal distance between consecutive points.</summary>
    public int Stride { get; }

    public bool IsCalendar => this != Steps;

    /// <summary>The default seasonal period for this spacing (weekly seasonality of daily data, etc.).</summary>
    public int DefaultSeason => Code switch { "D" => 7, "H" => 24, "W" => 52, "M" => 12, _ => 1 };

    public static bool TryParse(string? code, out Frequency frequency)
    {
        frequency = All.FirstOrDefault(f => string.Equals(f.Code, code?.Trim(), StringComparison.OrdinalIgnoreCase))!;
        return frequency is not null;
    }

    public long Add(long ordinal, long steps) => ordinal + steps * Stride;

    /// <summary>Number of steps from <paramref name="from"/> to <paramref name="to"/> (exact for aligned points).</summary>
    public long StepsBetween(long from, long to) => (to - from) / Stride;

    public bool IsAligned(long from, long to) => (to - from) % Stride == 0;

    public long ToOrdinal(DateTime time) => Code switch
    {
        "D" or "W" => DateOnly.FromDateTime(time).DayNumber,
        "H" => time.Ticks / TimeSpan.TicksPerHour,
        "M" => time.Year * 12L + time.Month - 1,
        _ => throw new InvalidOperationException("A steps series has no calendar time."),
    };

    public DateTime ToDateTime(long ordinal) => Code switch
    {
        "D" or "W" => DateOnly.FromDayNumber(checked((int)ordinal)).ToDateTime(TimeOnly.MinValue),
        "H" => new DateTime(ordinal * TimeSpan.TicksPerHour),
        "M" => new DateTime((int)(ordinal / 12), (int)(ordinal % 12) + 1, 1),
        _ => throw new InvalidOperationException("A steps series has no calendar time."),
    };

    /// <summary>ISO text for calendar points ("2019-05-31", "2019-05-31T13:00:00"), the integer for steps.</summary>
    public string Format(long ordinal) => Code switch
    {
        "steps" => ordinal.ToString(CultureInfo.InvariantCulture),
        "H" => ToDateTime(ordinal).ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture),
        _ => ToDateTime(ordinal).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
    };

    /// <summary>Parses a point given in the API (ISO date/time, or an integer for steps).</summary>
    public bool TryParsePoint(string? text, out long ordinal)
    {
        ordinal = 0;
        if (string.IsNullOrWhiteSpace(text)) return false;
        if (this == Steps) return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out ordinal);
        if (!DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time))
            return false;
        ordinal = ToOrdinal(time);
        return true;
    }

    /// <summary>
    /// Infers the spacing from sorted, distinct timestamps: the most common gap decides
    /// (1 day, 1 hour, 7 days, one calendar month); null when none fits.
    /// </summary>
    public static Frequency? Infer(IReadOnlyList<DateTime> sortedTimes)
    {
        if (sortedTimes.Count < 2) return sortedTimes.Count == 1 && sortedTimes[0].TimeOfDay == TimeSpan.Zero ? Daily : null;
        var gaps = new Dictionary<string, int>();
        for (var i = 1; i < sortedTimes.Count; i++)
        {
            var (a, b) = (sortedTimes[i - 1], sortedTimes[i]);
            var key = (b - a) switch
            {
                { TotalHours: 1 } => "H",
                { TotalDays: 1 } => "D",
                { TotalDays: 7 } => "W",
                _ when a.Day == 1 && b.Day == 1 && a.TimeOfDay == TimeSpan.Zero && (b.Year * 12 + b.Month) - (a.Year * 12 + a.Month) == 1 => "M",
                _ => "?",
            };
            gaps[key] = gaps.GetValueOrDefault(key) + 1;
        }
        var best = gaps.Where(g => g.Key != "?").OrderByDescending(g => g.Value).FirstOrDefault();
        return best.Key is null ? null : All.First(f => f.Code == best.Key);
    }

    public override string ToString() => Code;
}
