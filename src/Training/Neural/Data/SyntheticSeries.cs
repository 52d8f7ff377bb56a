namespace Forecasting.Training.Neural.Data;

/// <summary>
/// The chapter's synthetic task: <c>generate_time_series(batch_size, n_steps)</c> — two sines
/// with random frequencies and offsets plus uniform noise — and its target constructions.
/// Draw order follows numpy's (freq1, freq2, offsets1, offsets2 for all series, then the noise),
/// from a seeded System.Random, so values differ from numpy's but the distribution is the same.
/// </summary>
public static class SyntheticSeries
{
    /// <summary>[batchSize][nSteps] values (one feature).</summary>
    public static float[] Generate(int batchSize, int nSteps, Random rng)
    {
        var freq1 = Draw(batchSize, rng);
        var freq2 = Draw(batchSize, rng);
        var offsets1 = Draw(batchSize, rng);
        var offsets2 = Draw(batchSize, rng);
        var series = new float[batchSize * nSteps];
        for (var i = 0; i < batchSize; i++)
            for (var t = 0; t < nSteps; t++)
            {
                var time = nSteps == 1 ? 0.0 : (double)t / (nSteps - 1); // np.linspace(0, 1, n_steps)
                var v = 0.5 * Math.Sin((time - offsets1[i]) * (freq1[i] * 10 + 10));
                v += 0.2 * Math.Sin((time - offsets2[i]) * (freq2[i] * 20 + 20));
                series[i * nSteps + t] = (float)v;
            }
        for (var k = 0; k < series.Length; k++) series[k] += (float)(0.1 * (rng.NextDouble() - 0.5));
        return series;
    }

    private static double[] Draw(int n, Random rng)
    {
        var values = new double[n];
        for (var i = 0; i < n; i++) values[i] = rng.NextDouble();
        return values;
    }

    /// <summary>
    /// seq2vec: inputs series[:, :nSteps] and targets series[:, nSteps:nSteps+ahead]
    /// (ahead = 1 is the next value, 10 the next ten) for rows [first, first+count).
    /// </summary>
    public static SequenceData Seq2Vec(float[] series, int totalSteps, int first, int count, int nSteps, int ahead)
    {
        if (nSteps + ahead > totalSteps) throw new ArgumentException("series too short for the targets");
        var x = new float[count * nSteps];
        var y = new float[count * ahead];
        for (var i = 0; i < count; i++)
        {
            Array.Copy(series, (first + i) * totalSteps, x, i * nSteps, nSteps);
            Array.Copy(series, (first + i) * totalSteps + nSteps, y, i * ahead, ahead);
        }
        return new SequenceData(x, count, nSteps, 1, y, 1, ahead);
    }

    /// <summary>seq2seq: at every step t the next <paramref name="ahead"/> values, Y[i, t, k-1] = series[i, t + k].</summary>
    public static SequenceData Seq2Seq(float[] series, int totalSteps, int first, int count, int nSteps, int ahead)
    {
        if (nSteps + ahead > totalSteps) throw new ArgumentException("series too short for the targets");
        var x = new float[count * nSteps];
        var y = new float[count * nSteps * ahead];
        for (var i = 0; i < count; i++)
        {
            var row = (first + i) * totalSteps;
            Array.Copy(series, row, x, i * nSteps, nSteps);
            for (var t = 0; t < nSteps; t++)
                for (var k = 1; k <= ahead; k++)
                    y[(i * nSteps + t) * ahead + k - 1] = series[row + t + k];
        }
        return new SequenceData(x, count, nSteps, 1, y, nSteps, ahead);
    }

    /// <summary>
    /// Targets cropped and down-sampled in time, Y[:, start::stride] — for Conv1D(kernel 4,
    /// stride 2, valid) the chapter uses start 3, stride 2 so targets line up with the outputs.
    /// </summary>
    public static SequenceData CropTargets(SequenceData data, int start, int stride)
    {
        if (data.Targets is null) throw new ArgumentException("no targets to crop");
        var steps = data.TargetSteps <= start ? 0 : (data.TargetSteps - start + stride - 1) / stride;
        var f = data.TargetFeatures;
        var y = new float[data.Count * steps * f];
        for (var i = 0; i < data.Count; i++)
            for (var s = 0; s < steps; s++)
                Array.Copy(data.Targets, (i * data.TargetSteps + start + s * stride) * f, y, (i * steps + s) * f, f);
        return new SequenceData(data.Inputs, data.Count, data.Steps, data.Features, y, steps, f);
    }

    /// <summary>
    /// Naive forecast MSE: repeat the latest known value — x_t at step t for seq2seq targets
    /// (one target row per input step), the last input otherwise.
    /// </summary>
    public static double NaiveMse(SequenceData data, bool lastStepOnly = false)
    {
        double sum = 0;
        long n = 0;
        for (var i = 0; i < data.Count; i++)
        {
            var firstStep = lastStepOnly ? data.TargetSteps - 1 : 0;
            for (var t = firstStep; t < data.TargetSteps; t++)
                for (var k = 0; k < data.TargetFeatures; k++)
                {
                    var step = data.TargetSteps == data.Steps ? t : data.Steps - 1;
                    var last = data.Inputs[(i * data.Steps + step) * data.Features];
                    double d = data.Targets![(i * data.TargetSteps + t) * data.TargetFeatures + k] - last;
                    sum += d * d;
                    n++;
                }
        }
        return sum / n;
    }
}
