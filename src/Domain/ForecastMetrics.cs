namespace Forecasting.Domain;

/// <summary>
/// Error figures of one horizon step. MAPE is in percent over the nonzero actuals only (null when every actual is 0);
/// <c>MapeSkippedZeros</c> counts the actuals it left out. WAPE is Σ|e| / Σ|y| (a fraction; null when every actual is 0);
/// bias is the mean of forecast − actual (positive: over-forecast). MASE: see <see cref="TargetMetrics"/>.
/// </summary>
public sealed record HorizonFigures(int Step, double Mae, double? Mape, double Mse, double Rmse, int Count,
    double? Wape = null, double? Bias = null, double? Mase = null, int? MapeSkippedZeros = null);

/// <summary>
/// Per target: errors, and for each interval level (percent, keyed "80", "95") the share of actuals inside the
/// interval (<see cref="Coverage"/>) and the mean interval (Winkler) score, in data units (lower is better).
/// MASE is each series' MAE divided by its in-sample seasonal naive MAE (lag <see cref="MetricSet.MaseSeason"/> over its
/// training period), then the unweighted mean over series, as R's accuracy() per series and StatsForecast's mase averaged
/// over unique_id; <c>MaseSeries</c> counts the series in that mean (a series whose training period is one season or
/// shorter, or whose seasonal naive is exact, has no scale and is left out). <c>Series</c>: the series scored.
/// </summary>
public sealed record TargetMetrics(double Mae, double? Mape, double Mse, double Rmse, int Count, IReadOnlyList<HorizonFigures> PerHorizon,
    IReadOnlyDictionary<string, double>? Coverage = null, IReadOnlyDictionary<string, double>? IntervalScore = null,
    double? Wape = null, double? Bias = null, double? Mase = null, int? MapeSkippedZeros = null, int? Series = null, int? MaseSeries = null)
{
    /// <summary>Per level, the coverage of each series summarised over the series (intervals added with their series only).</summary>
    public IReadOnlyDictionary<string, CoverageDistribution>? CoverageBySeries { get; init; }
}

/// <summary>
/// The metrics of one period, in the data's own units. The top-level figures average the targets'
/// figures (each target's figures are over all of its (origin, step) pairs), as API.md specifies;
/// <c>MapeSkippedZeros</c> is the targets' sum and <c>Series</c> the distinct series scored.
/// </summary>
public sealed record MetricSet(
    double Mae, double? Mape, double Mse, double Rmse, int Count,
    IReadOnlyList<HorizonFigures> PerHorizon,
    IReadOnlyDictionary<string, TargetMetrics> ByTarget,
    IReadOnlyDictionary<string, double>? Coverage = null,
    IReadOnlyDictionary<string, double>? IntervalScore = null,
    double? Wape = null, double? Bias = null, double? Mase = null, int? MaseSeason = null, int? MapeSkippedZeros = null, int? Series = null)
{
    /// <summary>Per level, the coverage of every (series, target) pair summarised; with one target, that target's <see cref="TargetMetrics.CoverageBySeries"/>.</summary>
    public IReadOnlyDictionary<string, CoverageDistribution>? CoverageBySeries { get; init; }
}

/// <summary>
/// Accumulates (actual, predicted) pairs per target and horizon step, then computes a <see cref="MetricSet"/>. Pairs
/// added with their series feed MASE when <see cref="SetMaseScale"/> gave that series' scale.
/// </summary>
public sealed class ForecastErrorAccumulator
{
    private readonly Dictionary<string, SortedDictionary<int, Sums>> _sums = new(StringComparer.Ordinal);
    private readonly List<string> _targetOrder = [];
    private readonly Dictionary<string, SortedDictionary<double, IntervalSums>> _intervals = new(StringComparer.Ordinal);
    // Per target, per series: absolute errors per step, for MASE and the series count.
    private readonly Dictionary<string, Dictionary<string, SeriesSums>> _bySeries = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Series, string Target), double> _maseScales = [];
    private int? _maseSeason;
    // Per target and level, covered counts per series (for the distribution of per-series coverage).
    private readonly Dictionary<(string Target, double Level), Dictionary<string, IntervalSums>> _seriesIntervals = [];

    private sealed class IntervalSums
    {
        public double Score;
        public int Covered, Count;
    }

    private sealed class Sums
    {
        public double AbsError, SquaredError, AbsPercentError, Error, AbsActual;
        public int Count, PercentCount;
    }

    /// <summary>One series' absolute errors and their count per step (index step − 1; a count of 0: none at that step), compact for fleets of series.</summary>
    private sealed class SeriesSums
    {
        public double[] AbsError = [];
        public int[] Count = [];

        public void Add(int step, double absError)
        {
            if (step > Count.Length)
            {
                var length = Math.Max(step, 2 * Count.Length);
                Array.Resize(ref AbsError, length);
                Array.Resize(ref Count, length);
            }
            AbsError[step - 1] += absError;
            Count[step - 1]++;
        }
    }

    /// <summary>
    /// The MASE denominator of one series' target: its in-sample seasonal naive MAE at lag <paramref name="season"/>
    /// (see <see cref="SeasonalNaiveScale"/>); null (too short, or exact) leaves the series out of MASE.
    /// </summary>
    public void SetMaseScale(string series, string target, int season, double? scale)
    {
        if (_maseSeason is { } known && known != season) throw new ArgumentException($"MASE is scaled at one season; {season} differs from {known}.");
        _maseSeason = season;
        if (scale is { } s) _maseScales[(series, target)] = s;
    }

    /// <summary>
    /// The in-sample MAE of the seasonal naive forecast y[t − season] over <paramref name="training"/>; null when
    /// no pair exists (one season or fewer observations) or every pair is equal (the scale would be 0).
    /// </summary>
    public static double? SeasonalNaiveScale(ReadOnlySpan<double> training, int season)
    {
        if (season < 1) throw new ArgumentOutOfRangeException(nameof(season));
        double sum = 0;
        var n = 0;
        for (var t = season; t < training.Length; t++)
        {
            var d = training[t] - training[t - season];
            if (double.IsNaN(d)) continue;
            sum += Math.Abs(d);
            n++;
        }
        return n == 0 || sum == 0 ? null : sum / n;
    }

    /// <summary>Adds one forecast of <paramref name="target"/> made <paramref name="step"/> steps ahead (1-based), of <paramref name="series"/> when known.</summary>
    public void Add(string target, int step, double actual, double predicted, string? series = null)
    {
        if (step < 1) throw new ArgumentOutOfRangeException(nameof(step), "Horizon steps are 1-based.");
        if (double.IsNaN(actual) || double.IsNaN(predicted)) throw new ArgumentException($"NaN in the forecasts of '{target}'.");
        if (!_sums.TryGetValue(target, out var byStep))
        {
            _sums[target] = byStep = new SortedDictionary<int, Sums>();
            _targetOrder.Add(target);
        }
        if (!byStep.TryGetValue(step, out var sums)) byStep[step] = sums = new Sums();
        var error = predicted - actual;
        sums.AbsError += Math.Abs(error);
        sums.SquaredError += error * error;
        sums.Error += error;
        sums.AbsActual += Math.Abs(actual);
        sums.Count++;
        if (actual != 0)
        {
            sums.AbsPercentError += Math.Abs(error / actual);
            sums.PercentCount++;
        }
        if (series is null) return;
        if (!_bySeries.TryGetValue(target, out var perSeries)) _bySeries[target] = perSeries = new Dictionary<string, SeriesSums>(StringComparer.Ordinal);
        if (!perSeries.TryGetValue(series, out var seriesSums)) perSeries[series] = seriesSums = new SeriesSums();
        seriesSums.Add(step, Math.Abs(error));
    }

    /// <summary>
    /// Adds one interval forecast at <paramref name="level"/> percent: covered when lower ≤ actual ≤ upper; its
    /// Winkler score is the width plus 2/α times the distance by which the actual falls outside (α = 1 − level/100).
    /// With its <paramref name="series"/>, it also counts towards that series' coverage.
    /// </summary>
    public void AddInterval(string target, double level, double actual, double lower, double upper, string? series = null)
    {
        if (!(level > 0 && level < 100)) throw new ArgumentOutOfRangeException(nameof(level), "A level is a percentage strictly between 0 and 100.");
        if (!_intervals.TryGetValue(target, out var byLevel)) _intervals[target] = byLevel = new SortedDictionary<double, IntervalSums>();
        if (!byLevel.TryGetValue(level, out var sums)) byLevel[level] = sums = new IntervalSums();
        sums.Score += WinklerScore(level, actual, lower, upper);
        var covered = actual >= lower && actual <= upper;
        if (covered) sums.Covered++;
        sums.Count++;
        if (series is null) return;
        if (!_seriesIntervals.TryGetValue((target, level), out var perSeries)) _seriesIntervals[(target, level)] = perSeries = new Dictionary<string, IntervalSums>(StringComparer.Ordinal);
        if (!perSeries.TryGetValue(series, out var own)) perSeries[series] = own = new IntervalSums();
        if (covered) own.Covered++;
        own.Count++;
    }

    public static double WinklerScore(double level, double actual, double lower, double upper)
    {
        var alpha = 1 - level / 100;
        var score = upper - lower;
        if (actual < lower) score += 2 / alpha * (lower - actual);
        else if (actual > upper) score += 2 / alpha * (actual - upper);
        return score;
    }

    /// <summary>The key of a level in metrics and forecasts: "80", "97.5".</summary>
    public static string LevelKey(double level) => level.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture);

    public int Count => _sums.Values.Sum(s => s.Values.Sum(x => x.Count));

    /// <summary>The metrics, or null when nothing was added (e.g. a period too short for one window).</summary>
    public MetricSet? ToMetrics()
    {
        if (Count == 0) return null;
        var byTarget = new Dictionary<string, TargetMetrics>(StringComparer.Ordinal);
        foreach (var target in _targetOrder)
        {
            var steps = _sums[target];
            var perSeries = _bySeries.GetValueOrDefault(target);
            var perHorizon = steps.Select(kv => Figures(kv.Key, [kv.Value]) with { Mase = Mase(target, perSeries, kv.Key).Mase }).ToList();
            var all = Figures(0, steps.Values);
            var (mase, maseSeries) = Mase(target, perSeries, null);
            var intervals = _intervals.GetValueOrDefault(target);
            byTarget[target] = new TargetMetrics(all.Mae, all.Mape, all.Mse, all.Rmse, all.Count, perHorizon,
                intervals?.ToDictionary(l => LevelKey(l.Key), l => (double)l.Value.Covered / l.Value.Count),
                intervals?.ToDictionary(l => LevelKey(l.Key), l => l.Value.Score / l.Value.Count),
                all.Wape, all.Bias, mase, all.MapeSkippedZeros, perSeries?.Count, _maseSeason is null ? null : maseSeries)
            {
                CoverageBySeries = CoverageBySeries(_seriesIntervals.Where(e => e.Key.Target == target)),
            };
        }
        var targets = byTarget.Values.ToList();
        var stepNumbers = _sums.Values.SelectMany(s => s.Keys).Distinct().Order().ToList();
        var overallPerHorizon = stepNumbers.Select(step =>
        {
            var rows = targets.Select(t => t.PerHorizon.FirstOrDefault(h => h.Step == step)).OfType<HorizonFigures>().ToList();
            return new HorizonFigures(step, rows.Average(r => r.Mae), AverageOrNull(rows.Select(r => r.Mape)),
                rows.Average(r => r.Mse), rows.Average(r => r.Rmse), rows.Sum(r => r.Count),
                AverageOrNull(rows.Select(r => r.Wape)), AverageOrNull(rows.Select(r => r.Bias)), AverageOrNull(rows.Select(r => r.Mase)),
                rows.Sum(r => r.MapeSkippedZeros ?? 0));
        }).ToList();
        var series = _bySeries.Count == 0 ? (int?)null : _bySeries.Values.SelectMany(s => s.Keys).Distinct(StringComparer.Ordinal).Count();
        return new MetricSet(
            targets.Average(t => t.Mae), AverageOrNull(targets.Select(t => t.Mape)), targets.Average(t => t.Mse),
            targets.Average(t => t.Rmse), targets.Sum(t => t.Count), overallPerHorizon, byTarget,
            AverageByLevel(targets.Select(t => t.Coverage)), AverageByLevel(targets.Select(t => t.IntervalScore)),
            AverageOrNull(targets.Select(t => t.Wape)), AverageOrNull(targets.Select(t => t.Bias)), AverageOrNull(targets.Select(t => t.Mase)),
            _maseSeason, targets.Sum(t => t.MapeSkippedZeros ?? 0), series)
        {
            CoverageBySeries = CoverageBySeries(_seriesIntervals),
        };
    }

    /// <summary>Per level, the distribution of the coverages of the given (target, level) entries' series; null when none was added with its series.</summary>
    private static Dictionary<string, CoverageDistribution>? CoverageBySeries(IEnumerable<KeyValuePair<(string Target, double Level), Dictionary<string, IntervalSums>>> entries)
    {
        var byLevel = entries.GroupBy(e => e.Key.Level).OrderBy(g => g.Key).ToDictionary(g => LevelKey(g.Key),
            g => CoverageDistribution.Of(g.SelectMany(e => e.Value.Values).Select(s => (double)s.Covered / s.Count))!);
        return byLevel.Count == 0 ? null : byLevel;
    }

    /// <summary>
    /// MASE of a target (at one step, or over all steps when <paramref name="step"/> is null): the mean over the series
    /// with a scale of the series' MAE over its scale, and how many series that mean covers; null when none has one.
    /// </summary>
    private (double? Mase, int Series) Mase(string target, Dictionary<string, SeriesSums>? perSeries, int? step)
    {
        if (perSeries is null) return (null, 0);
        double total = 0;
        var n = 0;
        foreach (var (series, steps) in perSeries)
        {
            if (!_maseScales.TryGetValue((series, target), out var scale)) continue;
            double abs = 0;
            var count = 0;
            for (var k = 1; k <= steps.Count.Length; k++)
                if (steps.Count[k - 1] > 0 && (step is null || k == step)) { abs += steps.AbsError[k - 1]; count += steps.Count[k - 1]; }
            if (count == 0) continue;
            total += abs / count / scale;
            n++;
        }
        return (n == 0 ? null : total / n, n);
    }

    /// <summary>The targets' figures per level averaged (as the top-level errors are); null when no target has intervals.</summary>
    private static IReadOnlyDictionary<string, double>? AverageByLevel(IEnumerable<IReadOnlyDictionary<string, double>?> perTarget)
    {
        var present = perTarget.OfType<IReadOnlyDictionary<string, double>>().ToList();
        if (present.Count == 0) return null;
        return present.SelectMany(d => d.Keys).Distinct().ToDictionary(k => k,
            k => present.Where(d => d.ContainsKey(k)).Average(d => d[k]));
    }

    private static HorizonFigures Figures(int step, IEnumerable<Sums> parts)
    {
        double abs = 0, sq = 0, pct = 0, signed = 0, absActual = 0;
        int n = 0, pn = 0;
        foreach (var p in parts)
        {
            abs += p.AbsError; sq += p.SquaredError; pct += p.AbsPercentError; signed += p.Error; absActual += p.AbsActual;
            n += p.Count; pn += p.PercentCount;
        }
        var mse = sq / n;
        return new HorizonFigures(step, abs / n, pn == 0 ? null : 100 * pct / pn, mse, Math.Sqrt(mse), n,
            absActual == 0 ? null : abs / absActual, signed / n, null, n - pn);
    }

    private static double? AverageOrNull(IEnumerable<double?> values)
    {
        var present = values.OfType<double>().ToList();
        return present.Count == 0 ? null : present.Average();
    }
}
