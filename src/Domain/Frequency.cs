using System.Globalization;

namespace Forecasting.Domain;

/// <summary>
/// The spacing of a regular series. Time points are stored as ordinals (<see cref="long"/>) so that "the next
/// step" is plain arithmetic, ordinal + <see cref="Stride"/>:
/// minutes since 0001-01-01 for the minute frequencies (stride 5 for 5min); hours since 0001-01-01 for H; days
/// since 0001-01-01 for D and the weeks (stride 7); twice the business days since Monday 0001-01-01 for B
/// (stride 2: a weekend date is the odd ordinal between Friday and Monday, so a bound given on a weekend rounds
/// inward like any point between steps); months since year 0 for months, quarters and years (stride 1, 3, 12),
/// stamped on the period's first or last day; and the integer itself for steps. Weeks, quarters and years take
/// their phase (weekday, first month) from each series' first point.
/// </summary>
public sealed class Frequency
{
    private enum Unit { Step, Minute, Hour, Day, BusinessDay, Month }

    public static readonly Frequency Hourly = new("H", Unit.Hour, 1, 24, 8760, "hourly");
    public static readonly Frequency Daily = new("D", Unit.Day, 1, 7, 365, "daily");
    public static readonly Frequency BusinessDaily = new("B", Unit.BusinessDay, 2, 5, 260, "business-day");
    /// <summary>Weeks on whatever weekday each series starts.</summary>
    public static readonly Frequency Weekly = new("W", Unit.Day, 7, 52, 52, "weekly");
    /// <summary>Months stamped on the 1st (the code M predates MS and stays what stored datasets hold).</summary>
    public static readonly Frequency Monthly = new("M", Unit.Month, 1, 12, 12, "monthly");
    public static readonly Frequency MonthEnd = new("ME", Unit.Month, 1, 12, 12, "month-end", periodEnd: true);
    public static readonly Frequency QuarterStart = new("QS", Unit.Month, 3, 4, 4, "quarterly");
    public static readonly Frequency QuarterEnd = new("QE", Unit.Month, 3, 4, 4, "quarter-end", periodEnd: true);
    public static readonly Frequency YearStart = new("YS", Unit.Month, 12, 1, 1, "yearly");
    public static readonly Frequency YearEnd = new("YE", Unit.Month, 12, 1, 1, "year-end", periodEnd: true);
    public static readonly Frequency Steps = new("steps", Unit.Step, 1, 1, 0, "step");

    /// <summary>1min … 30min: the minute spacings that divide an hour; the default season is one day.</summary>
    public static readonly IReadOnlyList<Frequency> MinuteFrequencies = new[] { 1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30 }
        .Select(n => new Frequency($"{n}min", Unit.Minute, n, 24 * 60 / n, 365 * 24 * 60 / n, $"{n}-minute")).ToArray();

    /// <summary>W-MON … W-SUN: weeks that must be stamped on that weekday.</summary>
    public static readonly IReadOnlyList<Frequency> AnchoredWeeks = Enumerable.Range(0, 7)
        .Select(i => (DayOfWeek)((i + 1) % 7))
        .Select(d => new Frequency($"W-{d.ToString()[..3].ToUpperInvariant()}", Unit.Day, 7, 52, 52, $"weekly ({d})", weekday: d)).ToArray();

    public static readonly IReadOnlyList<Frequency> All =
        [.. MinuteFrequencies, Hourly, Daily, BusinessDaily, Weekly, .. AnchoredWeeks, Monthly, MonthEnd, QuarterStart, QuarterEnd, YearStart, YearEnd, Steps];

    /// <summary>Other spellings, pandas' among them; M, Q, Y and A leave start or end to the stamps (<see cref="LeavesAnchorToStamps"/>).</summary>
    private static readonly Dictionary<string, Frequency> Aliases = BuildAliases();

    private static readonly HashSet<string> AnchorFreeCodes = new(["M", "Q", "Y", "A"], StringComparer.OrdinalIgnoreCase);

    /// <summary>The codes the API accepts, for error messages and documentation.</summary>
    public static readonly string AcceptedCodes =
        $"{string.Join(", ", MinuteFrequencies.Select(f => f.Code))} (or T), H, D, B, W, W-MON … W-SUN, M (MS), ME, QS, QE, Q, YS, YE, Y (A) or steps";

    private readonly Unit _unit;
    private readonly DayOfWeek? _weekday;

    private Frequency(string code, Unit unit, int stride, int defaultSeason, int stepsPerYear, string description,
        bool periodEnd = false, DayOfWeek? weekday = null)
    {
        (Code, _unit, Stride, DefaultSeason, StepsPerYear, Description, StampsPeriodEnd, _weekday) =
            (code, unit, stride, defaultSeason, stepsPerYear, description, periodEnd, weekday);
    }

    /// <summary>The API's name, stored with each dataset: 30min, H, D, B, W, W-MON, M, ME, QS, QE, YS, YE, steps …</summary>
    public string Code { get; }

    /// <summary>Ordinal distance between consecutive points.</summary>
    public int Stride { get; }

    /// <summary>
    /// The default seasonal period: one day of minute or hourly data (48 for 30min, 24 hourly), a week of days
    /// (7 daily, 5 business-daily), a year of weeks, months or quarters (52, 12, 4); 1 (non-seasonal) for yearly
    /// data and steps.
    /// </summary>
    public int DefaultSeason { get; }

    /// <summary>About how many steps make a year (365 daily, 260 business-daily); 0 for steps.</summary>
    public int StepsPerYear { get; }

    /// <summary>Words for messages: "daily", "30-minute", "quarter-end" …</summary>
    public string Description { get; }

    /// <summary>Whether points are stamped on the last day of their month, quarter or year (ME, QE, YE).</summary>
    public bool StampsPeriodEnd { get; }

    public bool IsCalendar => this != Steps;

    /// <summary>
    /// The season a model uses: the requested one, else <see cref="DefaultSeason"/>. Season 1 means non-seasonal,
    /// and 0 is read as 1 (auto_sarima's older spelling); negative seasons are the caller's error to refuse.
    /// </summary>
    public int SeasonOf(int? requested) => requested is { } season ? Math.Max(season, 1) : DefaultSeason;

    public static bool TryParse(string? code, out Frequency frequency)
    {
        frequency = null!;
        return code is not null && Aliases.TryGetValue(code.Trim(), out frequency!);
    }

    /// <summary>
    /// Whether a code names the spacing but not the stamp: M, Q, Y and A, which pandas writes for month, quarter and
    /// year ends and this API for starts; <see cref="AnchoredBy"/> then reads the stamps.
    /// </summary>
    public static bool LeavesAnchorToStamps(string? code) => code is not null && AnchorFreeCodes.Contains(code.Trim());

    /// <summary>
    /// For months, quarters and years: the end-stamped twin (ME, QE, YE) when every time is the last day of its
    /// month, else the start-stamped one. Other frequencies are returned as they are.
    /// </summary>
    public Frequency AnchoredBy(IEnumerable<DateTime> times)
    {
        if (_unit != Unit.Month) return this;
        var end = false;
        foreach (var time in times)
        {
            if (!IsMonthEnd(time)) return Twin(periodEnd: false);
            end = true;
        }
        return Twin(end);
    }

    private Frequency Twin(bool periodEnd) => All.First(f => f._unit == Unit.Month && f.Stride == Stride && f.StampsPeriodEnd == periodEnd);

    public long Add(long ordinal, long steps) => ordinal + steps * Stride;

    /// <summary>Number of steps from <paramref name="from"/> to <paramref name="to"/> (exact for aligned points).</summary>
    public long StepsBetween(long from, long to) => (to - from) / Stride;

    public bool IsAligned(long from, long to) => (to - from) % Stride == 0;

    /// <summary>The ordinal of the period holding <paramref name="time"/> (a date inside a month names that month).</summary>
    public long ToOrdinal(DateTime time) => _unit switch
    {
        Unit.Minute => time.Ticks / TimeSpan.TicksPerMinute,
        Unit.Hour => time.Ticks / TimeSpan.TicksPerHour,
        Unit.Day => DateOnly.FromDateTime(time).DayNumber,
        Unit.BusinessDay => BusinessOrdinal(DateOnly.FromDateTime(time).DayNumber),
        Unit.Month => time.Year * 12L + time.Month - 1,
        _ => throw new InvalidOperationException("A steps series has no calendar time."),
    };

    public DateTime ToDateTime(long ordinal) => _unit switch
    {
        Unit.Minute => new DateTime(ordinal * TimeSpan.TicksPerMinute),
        Unit.Hour => new DateTime(ordinal * TimeSpan.TicksPerHour),
        Unit.Day => DateOnly.FromDayNumber(checked((int)ordinal)).ToDateTime(TimeOnly.MinValue),
        Unit.BusinessDay => DateOnly.FromDayNumber(checked((int)BusinessDayNumber(ordinal))).ToDateTime(TimeOnly.MinValue),
        Unit.Month => MonthStamp(ordinal),
        _ => throw new InvalidOperationException("A steps series has no calendar time."),
    };

    /// <summary>ISO text for calendar points ("2019-05-31", "2019-05-31T13:30:00"), the integer for steps.</summary>
    public string Format(long ordinal) => _unit switch
    {
        Unit.Step => ordinal.ToString(CultureInfo.InvariantCulture),
        Unit.Minute or Unit.Hour => ToDateTime(ordinal).ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture),
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
    /// Why an observed timestamp cannot be a point of this frequency (a time of day on daily data, a weekend on
    /// business days, a Tuesday on W-MON), or null when it can. Months, quarters and years accept any day: the
    /// date names its month.
    /// </summary>
    public string? OffGridReason(DateTime time)
    {
        var ofDay = _unit switch { Unit.Minute => TimeSpan.TicksPerMinute, Unit.Hour => TimeSpan.TicksPerHour, _ => TimeSpan.TicksPerDay };
        if (_unit != Unit.Step && time.Ticks % ofDay != 0)
            return _unit == Unit.Minute ? "it has seconds the frequency cannot hold" : "it has a time of day the frequency cannot hold";
        if (_unit == Unit.BusinessDay && time.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
            return $"it falls on a {time.DayOfWeek}; business days run Monday to Friday";
        if (_weekday is { } weekday && time.DayOfWeek != weekday)
            return $"it falls on a {time.DayOfWeek}; {Code} weeks are stamped on {weekday}s";
        return null;
    }

    /// <summary>
    /// Infers the spacing from sorted, distinct timestamps: the most common gap decides (so one missing month
    /// still reads as monthly and ingest reports the gap); null when no gap fits or two spacings tie.
    /// </summary>
    public static Frequency? Infer(IReadOnlyList<DateTime> sortedTimes) =>
        Candidates(sortedTimes) is [var only] ? only : null;

    /// <summary>
    /// The spacings that fit most gaps of sorted, distinct timestamps: one for a clear answer, several when they
    /// tie (the caller asks for <c>frequency</c>), none when no gap is regular. Business days win over days when
    /// no stamp falls on a weekend and some Friday is followed by a Monday.
    /// </summary>
    public static IReadOnlyList<Frequency> Candidates(IReadOnlyList<DateTime> sortedTimes)
    {
        if (sortedTimes.Count < 2)
            return sortedTimes.Count == 1 && sortedTimes[0].TimeOfDay == TimeSpan.Zero ? [Daily] : [];
        var counts = new Dictionary<Frequency, int>();
        int weekdayGaps = 0, weekendSkips = 0;
        var weekendStamp = false;
        for (var i = 1; i < sortedTimes.Count; i++)
        {
            var (a, b) = (sortedTimes[i - 1], sortedTimes[i]);
            weekendStamp |= IsWeekend(a) || IsWeekend(b);
            var gap = b - a;
            var midnight = a.TimeOfDay == TimeSpan.Zero && b.TimeOfDay == TimeSpan.Zero;
            Frequency? fits = null;
            if (gap < TimeSpan.FromHours(1) && gap.Ticks % TimeSpan.TicksPerMinute == 0)
                fits = MinuteFrequencies.FirstOrDefault(f => f.Stride == (int)gap.TotalMinutes);
            else if (gap == TimeSpan.FromHours(1)) fits = Hourly;
            else if (!midnight) fits = null;
            else if (gap == TimeSpan.FromDays(1))
            {
                if (!IsWeekend(a) && !IsWeekend(b)) { weekdayGaps++; continue; }
                fits = Daily;
            }
            else if (gap == TimeSpan.FromDays(3) && a.DayOfWeek == DayOfWeek.Friday) { weekendSkips++; continue; }
            else if (gap == TimeSpan.FromDays(7)) fits = Weekly;
            else fits = MonthlyFit(a, b);
            if (fits is not null) counts[fits] = counts.GetValueOrDefault(fits) + 1;
        }
        // A day between two weekdays fits days and business days alike: weekends decide which.
        if (weekdayGaps + weekendSkips > 0)
        {
            if (!weekendStamp && weekendSkips > 0) counts[BusinessDaily] = weekdayGaps + weekendSkips;
            else if (weekdayGaps > 0) counts[Daily] = counts.GetValueOrDefault(Daily) + weekdayGaps;
        }
        if (counts.Count == 0) return [];
        var most = counts.Values.Max();
        return All.Where(f => counts.GetValueOrDefault(f) == most).ToList();
    }

    /// <summary>Months, quarters or years between two stamps on the 1st, or between two month ends.</summary>
    private static Frequency? MonthlyFit(DateTime a, DateTime b)
    {
        var months = (b.Year * 12 + b.Month) - (a.Year * 12 + a.Month);
        var end = IsMonthEnd(a) && IsMonthEnd(b);
        if (!end && (a.Day != 1 || b.Day != 1)) return null;
        return months switch
        {
            1 => end ? MonthEnd : Monthly,
            3 => end ? QuarterEnd : QuarterStart,
            12 => end ? YearEnd : YearStart,
            _ => null,
        };
    }

    private static bool IsMonthEnd(DateTime time) => time.Day == DateTime.DaysInMonth(time.Year, time.Month);

    private static bool IsWeekend(DateTime time) => time.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;

    // Day number 0 (0001-01-01) is a Monday, so day % 7 is the weekday (0 = Monday) and day / 7 the week.
    private static long BusinessOrdinal(long dayNumber)
    {
        var (week, weekday) = (dayNumber / 7, dayNumber % 7);
        return weekday < 5 ? 2 * (week * 5 + weekday) : 2 * (week * 5 + 5) - 1;
    }

    private static long BusinessDayNumber(long ordinal)
    {
        if (ordinal % 2 != 0) return BusinessDayNumber(ordinal + 1) - 2; // the Saturday before that Monday
        var businessDay = ordinal / 2;
        return businessDay / 5 * 7 + businessDay % 5;
    }

    private DateTime MonthStamp(long ordinal)
    {
        var (year, month) = ((int)(ordinal / 12), (int)(ordinal % 12) + 1);
        return new DateTime(year, month, StampsPeriodEnd ? DateTime.DaysInMonth(year, month) : 1);
    }

    private static Dictionary<string, Frequency> BuildAliases()
    {
        var aliases = All.ToDictionary(f => f.Code, StringComparer.OrdinalIgnoreCase);
        foreach (var f in MinuteFrequencies) aliases[$"{f.Stride}T"] = f;
        aliases["min"] = aliases["T"] = MinuteFrequencies[0];
        aliases["1h"] = Hourly;
        aliases["MS"] = Monthly;
        aliases["Q"] = QuarterStart;
        aliases["Y"] = aliases["A"] = aliases["AS"] = YearStart;
        return aliases;
    }

    public override string ToString() => Code;
}
