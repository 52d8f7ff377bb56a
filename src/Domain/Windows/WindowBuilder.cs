namespace Forecasting.Domain.Windows;

/// <summary>
/// Builds model inputs and targets from series, inside one span at a time, as Keras'
/// <c>timeseries_dataset_from_array</c> does on each split: a window and all of its targets lie in the span.
/// Training windows lie in the training period; validation windows in <see cref="ValidationSpan"/>, which reaches
/// back before the validation period for inputs. Windows never cross series.
/// </summary>
public static class WindowBuilder
{
    /// <summary>
    /// Scaled features per time step, [length, features]. A known-future feature at step t holds the value of step
    /// t + lead: from the series, then from <paramref name="future"/> (the steps after the series' end). Past both, the
    /// last value known is repeated: only windows scored at the end of a period read there, for steps never scored.
    /// </summary>
    public static float[] FeatureRows(Series series, FeatureLayout layout, Scaler scaler, Series? future = null)
    {
        var f = layout.Count;
        var rows = new float[series.Length * f];
        for (var j = 0; j < f; j++)
        {
            var feature = layout.Features[j];
            var values = series[feature.Column];
            var ahead = future is not null && future.Columns.TryGetValue(feature.Column, out var known) ? known : [];
            var factors = scaler.For(feature.Column);
            for (var t = 0; t < series.Length; t++)
            {
                var step = feature.KnownFuture ? t + feature.Lead : t;
                var value = step < series.Length ? values[step]
                    : step - series.Length < ahead.Length ? ahead[step - series.Length]
                    : ahead.Length > 0 ? ahead[^1] : values[^1];
                rows[t * f + j] = feature.Category is { } category ? (value == category ? 1f : 0f) : factors.Apply(value);
            }
        }
        return rows;
    }

    /// <summary>Scaled target values per time step, [length, targets].</summary>
    public static float[] TargetRows(Series series, IReadOnlyList<string> targets, Scaler scaler)
    {
        var k = targets.Count;
        var rows = new float[series.Length * k];
        for (var j = 0; j < k; j++)
        {
            var values = series[targets[j]];
            var factors = scaler.For(targets[j]);
            for (var t = 0; t < series.Length; t++) rows[t * k + j] = factors.Apply(values[t]);
        }
        return rows;
    }

    /// <summary>Number of windows of length <paramref name="windowLength"/> with <paramref name="horizon"/> targets that fit in a period.</summary>
    public static int CountIn(IndexRange range, int windowLength, int horizon) => Math.Max(0, range.Length - windowLength - horizon + 1);

    /// <summary>
    /// The span early stopping builds its windows in (pass it to <see cref="Build"/>): windows whose targets lie in the
    /// validation period, their inputs taken from before it where needed, so the first window ends the step before
    /// <paramref name="valid"/> starts and its target is the period's first. A sequence-to-sequence window is trained
    /// on outputs at every step, so it also starts late enough that none of its targets lies in the training period
    /// (its early steps may target a gap between the periods, which neither training nor validation uses).
    /// </summary>
    public static IndexRange ValidationSpan(IndexRange train, IndexRange valid, int windowLength, TargetShape shape)
    {
        var start = Math.Max(0, valid.Start - windowLength);
        if (shape.Sequence && !train.IsEmpty && train.End <= valid.Start) start = Math.Max(start, train.End - shape.Offset - 1);
        return new IndexRange(start, valid.End);
    }

    /// <summary>All windows of every (series, period) part, in order.</summary>
    public static WindowSet Build(IReadOnlyList<(int SeriesIndex, float[] Features, float[] Targets, IndexRange Range)> parts,
        int features, int targets, int windowLength, int horizon, TargetShape shape)
    {
        var count = parts.Sum(p => CountIn(p.Range, windowLength, horizon));
        var outSteps = shape.OutSteps(windowLength);
        var outputs = horizon * targets;
        var inputs = new float[(long)count * windowLength * features];
        var targetValues = new float[(long)count * outSteps * outputs];
        var origins = new List<WindowOrigin>(count);
        var w = 0;
        foreach (var (seriesIndex, featureRows, targetRows, range) in parts)
        {
            for (var start = range.Start; start + windowLength + horizon <= range.End; start++, w++)
            {
                Array.Copy(featureRows, start * features, inputs, (long)w * windowLength * features, windowLength * features);
                for (var o = 0; o < outSteps; o++)
                {
                    // The step whose next `horizon` values this output row predicts.
                    var step = shape.Sequence ? start + shape.Offset + o * shape.Stride : start + windowLength - 1;
                    Array.Copy(targetRows, (step + 1) * targets, targetValues, ((long)w * outSteps + o) * outputs, outputs);
                }
                origins.Add(new WindowOrigin(seriesIndex, start + windowLength - 1));
            }
        }
        return new WindowSet(count, windowLength, features, outSteps, outputs, inputs, targetValues, origins);
    }

    /// <summary>
    /// Windows for scoring a period the way the statistical kinds are scored: every origin (a window's last input
    /// step) from which some step 1..<paramref name="horizon"/> lands in the period, its inputs taken from before
    /// the period where needed, so every target of the period is forecast at every step (origins with fewer than
    /// <paramref name="windowLength"/> observations are skipped). Inputs only; targets are read from the series.
    /// </summary>
    public static WindowSet BuildScoring(IReadOnlyList<(int SeriesIndex, float[] Features, IndexRange Range)> parts,
        int features, int windowLength, int horizon)
    {
        static (int First, int Last) Origins(IndexRange range, int windowLength, int horizon) =>
            (Math.Max(windowLength - 1, range.Start - horizon), range.End - 2);
        var count = parts.Sum(p => Origins(p.Range, windowLength, horizon) is var (first, last) ? Math.Max(0, last - first + 1) : 0);
        var inputs = new float[(long)count * windowLength * features];
        var origins = new List<WindowOrigin>(count);
        var w = 0;
        foreach (var (seriesIndex, featureRows, range) in parts)
        {
            var (first, last) = Origins(range, windowLength, horizon);
            for (var origin = first; origin <= last; origin++, w++)
            {
                Array.Copy(featureRows, (origin - windowLength + 1) * features, inputs, (long)w * windowLength * features, windowLength * features);
                origins.Add(new WindowOrigin(seriesIndex, origin));
            }
        }
        return new WindowSet(count, windowLength, features, 1, 0, inputs, [], origins);
    }
}
