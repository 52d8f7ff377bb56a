namespace Forecasting.Training.Models;

/// <summary>
/// A model's validation errors in units of its own spread, per target and horizon step (index 0 = step 1),
/// stored with the model at training time; forecasts scale their spread by these scores' quantiles.
/// </summary>
public sealed record ConformalCalibration(IReadOnlyDictionary<string, ScoreSample[]> Targets)
{
    /// <summary>The score quantile for a target at a step; steps past the calibrated ones use the last step's.</summary>
    public double Quantile(string target, int step, double level)
    {
        var steps = Targets[target];
        return steps[Math.Min(step, steps.Length) - 1].Quantile(level);
    }

    /// <summary>Calibrates on scored forecasts (every target must have step 1..h); null when there are none.</summary>
    public static ConformalCalibration? From(IEnumerable<ScoredForecast> forecasts)
    {
        var scores = new Dictionary<string, SortedDictionary<int, ScoreChunks>>(StringComparer.Ordinal);
        foreach (var f in forecasts)
        {
            if (!scores.TryGetValue(f.Target, out var bySteps)) scores[f.Target] = bySteps = new SortedDictionary<int, ScoreChunks>();
            if (!bySteps.TryGetValue(f.Step, out var list)) bySteps[f.Step] = list = new ScoreChunks();
            list.Add(Math.Abs(f.Actual - f.Mean) / ScoredForecast.Effective(f.Spread));
        }
        if (scores.Count == 0) return null;
        // Each step's scores are sorted in one buffer, reused.
        var buffer = new double[scores.Values.SelectMany(s => s.Values).Max(s => s.Count)];
        return new ConformalCalibration(scores.ToDictionary(t => t.Key, t =>
        {
            var last = t.Value.Keys.Max();
            // A step without errors (none landed in the period) borrows the nearest earlier step's.
            var samples = new ScoreSample[last];
            ScoreChunks? previous = null;
            for (var k = 1; k <= last; k++)
            {
                previous = t.Value.GetValueOrDefault(k) ?? previous ?? t.Value.First().Value;
                samples[k - 1] = ScoreSample.From(previous.CopyTo(buffer));
            }
            return samples;
        }, StringComparer.Ordinal));
    }

    /// <summary>
    /// One step's scores in fixed-size chunks: a large panel has millions per step, and a growing list would leave
    /// each outgrown array behind (on the large object heap) until a full collection.
    /// </summary>
    private sealed class ScoreChunks
    {
        private const int ChunkSize = 8192; // 64 KB: below the large object heap's threshold
        private readonly List<double[]> _chunks = [];
        private int _count;

        public int Count => _count;

        public void Add(double score)
        {
            if (_count % ChunkSize == 0) _chunks.Add(new double[ChunkSize]);
            _chunks[^1][_count++ % ChunkSize] = score;
        }

        /// <summary>The scores, in the order they were added, copied to the start of <paramref name="buffer"/>.</summary>
        public Span<double> CopyTo(double[] buffer)
        {
            for (var c = 0; c < _chunks.Count; c++) _chunks[c].AsSpan(0, Math.Min(ChunkSize, _count - c * ChunkSize)).CopyTo(buffer.AsSpan(c * ChunkSize));
            return buffer.AsSpan(0, _count);
        }
    }
}

/// <summary>
/// One forecast scored against its actual: target, step (1-based), actual, mean, the model's spread (a standard deviation)
/// the floor its intervals are clipped at (zero for non-negative demand; −∞ for none) and its series (for per-series figures such as MASE).
/// With a <paramref name="Scale"/>, actual, mean and spread are on the model's transformed scale (calibration scores
/// are taken there) and the metrics map them back to the data's.
/// </summary>
public readonly record struct ScoredForecast(string Target, int Step, double Actual, double Mean, double Spread, double Floor = double.NegativeInfinity, string? Series = null,
    IBackTransform? Scale = null)
{
    /// <summary>A spread usable as a unit: a zero or undefined spread (an exactly periodic training series) counts as 1, i.e. data units.</summary>
    public static double Effective(double spread) => spread > 0 && double.IsFinite(spread) ? spread : 1;
}
