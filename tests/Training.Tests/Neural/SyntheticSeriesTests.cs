using Forecasting.Training.Neural.Data;

namespace Forecasting.Training.Tests.Neural;

public class SyntheticSeriesTests
{
    [Fact]
    public void Generator_is_seeded_and_bounded()
    {
        var a = SyntheticSeries.Generate(50, 60, new Random(42));
        var b = SyntheticSeries.Generate(50, 60, new Random(42));
        Assert.Equal(a, b);
        Assert.All(a, v => Assert.InRange(v, -0.75f, 0.75f)); // 0.5 + 0.2 + 0.05
        Assert.NotEqual(a, SyntheticSeries.Generate(50, 60, new Random(43)));
    }

    [Fact]
    public void Targets_follow_the_chapter()
    {
        const int total = 60, steps = 50;
        var series = SyntheticSeries.Generate(5, total, new Random(1));
        var vec = SyntheticSeries.Seq2Vec(series, total, 2, 3, steps, 10);
        Assert.Equal(series[(2 * total)..(2 * total + steps)], vec.Inputs[..steps]);
        Assert.Equal(series[(2 * total + steps)..(2 * total + 60)], vec.Targets![..10]);
        var seq = SyntheticSeries.Seq2Seq(series, total, 0, 5, steps, 10);
        // Y[i, t, k-1] = series[i, t + k]
        Assert.Equal(series[1 * total + 7 + 3], seq.Targets![(1 * steps + 7) * 10 + 2]);
        Assert.Equal(series[4 * total + 49 + 10], seq.Targets![(4 * steps + 49) * 10 + 9]);
        // Conv1D(kernel 4, stride 2, valid): Y[:, 3::2] → 24 steps.
        var cropped = SyntheticSeries.CropTargets(seq, 3, 2);
        Assert.Equal(24, cropped.TargetSteps);
        Assert.Equal(seq.Targets[(1 * steps + 5) * 10 + 4], cropped.Targets![(1 * 24 + 1) * 10 + 4]);
    }
}
