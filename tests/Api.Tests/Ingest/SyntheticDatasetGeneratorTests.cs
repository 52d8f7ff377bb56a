using Forecasting.Api.Datasets.Ingest;
using Forecasting.Domain;

namespace Forecasting.Api.Tests.Ingest;

public sealed class SyntheticDatasetGeneratorTests
{
    [Fact]
    public void The_same_seed_gives_the_same_data_and_another_seed_does_not()
    {
        var request = new SyntheticDatasetRequest { Name = "s", Count = 50, Steps = 20, Seed = 7 };
        var a = SyntheticDatasetGenerator.Generate(request);
        var b = SyntheticDatasetGenerator.Generate(request);
        var c = SyntheticDatasetGenerator.Generate(request with { Seed = 8 });
        Assert.Equal(a.Series.SelectMany(s => s["value"]), b.Series.SelectMany(s => s["value"]));
        Assert.NotEqual(a.Series.SelectMany(s => s["value"]), c.Series.SelectMany(s => s["value"]));
    }

    [Fact]
    public void Gives_count_step_series_with_values_in_the_generators_range()
    {
        var frame = SyntheticDatasetGenerator.Generate(new SyntheticDatasetRequest { Name = "s" });
        Assert.Same(Frequency.Steps, frame.Frequency);
        Assert.Equal(10_000, frame.Series.Count);
        Assert.Equal(["0", "1", "2"], frame.Series.Take(3).Select(s => s.Id));
        Assert.Equal("9999", frame.Series[^1].Id);
        var values = frame.Series.SelectMany(s => s["value"]).ToArray();
        Assert.Equal(600_000, values.Length);
        Assert.All(frame.Series, s => Assert.Equal((0L, 60), (s.Start, s.Length)));
        // |0.5 sin| + |0.2 sin| + |0.1 (u - 0.5)| ≤ 0.75, and the waves make it use most of that range.
        Assert.InRange(values.Min(), -0.75, -0.6);
        Assert.InRange(values.Max(), 0.6, 0.75);
        Assert.InRange(values.Average(), -0.05, 0.05);
        Assert.All(values, v => Assert.Equal((double)(float)v, v));
    }

    [Fact]
    public void A_noise_free_reading_matches_the_formula_for_the_first_series()
    {
        // Rebuild series 0 from the same draws: the noise is at most 0.05 away.
        var frame = SyntheticDatasetGenerator.Generate(new SyntheticDatasetRequest { Name = "s", Count = 3, Steps = 10, Seed = 1 });
        var random = new Random(1);
        var d = Enumerable.Range(0, 12).Select(_ => random.NextDouble()).ToArray(); // freq1[0..2], freq2[0..2], offsets1, offsets2
        for (var t = 0; t < 10; t++)
        {
            var time = t / 9.0;
            var clean = 0.5 * Math.Sin((time - d[6]) * (d[0] * 10 + 10)) + 0.2 * Math.Sin((time - d[9]) * (d[3] * 20 + 20));
            Assert.InRange(frame.Series[0]["value"][t] - clean, -0.0501, 0.0501);
        }
    }

    private const string LongName = "a name of two hundred and one characters, one more than a dataset name may have: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";

    [Theory]
    [InlineData(LongName, 10, 60, "name")]
    [InlineData("s", 0, 60, "count")]
    [InlineData("s", 100_001, 60, "count")]
    [InlineData("s", 10, 1, "steps")]
    [InlineData("s", 10, 10_001, "steps")]
    [InlineData("s", 100_000, 10_000, "count")]
    public void Validates_the_request(string? name, int count, int steps, string field)
    {
        var request = new SyntheticDatasetRequest { Name = name, Count = count, Steps = steps };
        Assert.Equal(field, Assert.Single(SyntheticDatasetGenerator.Validate(request)).Field);
        Assert.Throws<ArgumentException>(() => SyntheticDatasetGenerator.Generate(request));
    }
}
