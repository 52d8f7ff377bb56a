using Forecasting.Domain;
using Forecasting.Training.Statistical.Ets;

namespace Forecasting.Training.Tests.Statistical.Ets;

/// <summary>Bad ets requests are refused with an error naming the field.</summary>
public sealed class EtsValidationTests
{
    private static IReadOnlyList<FieldError> Validate(ModelSpec model, double[] values, Frequency? frequency = null) =>
        new EtsModelKind().Validate(
            new TrainingRunSpec { Targets = ["y"], Horizon = 3, Model = model with { Kind = "ets" } },
            new DatasetFrame(frequency ?? Frequency.Monthly, [ColumnInfo.Numeric("y")], [new Series("s", 0, values.Length, new Dictionary<string, double[]> { ["y"] = values })]),
            new Dictionary<string, SeriesPeriods> { ["s"] = new(new IndexRange(0, values.Length), null, null) }).ToList();

    private static double[] Positive(int length) => [.. Enumerable.Range(0, length).Select(t => 50 + 10 * Math.Sin(2 * Math.PI * t / 12) + t)];

    [Fact]
    public void The_default_and_fixed_models_are_accepted()
    {
        Assert.Empty(Validate(new ModelSpec(), Positive(60)));
        Assert.Empty(Validate(new ModelSpec { Ets = "MAdM" }, Positive(60)));
        Assert.Empty(Validate(new ModelSpec { Ets = "AAN", Damped = true }, Positive(60)));
    }

    [Theory]
    [InlineData("XYZ")]
    [InlineData("AMN")]
    [InlineData("aan")]
    [InlineData("AAdNN")]
    public void Unknown_letters_are_refused_on_the_ets_field(string notation)
    {
        var error = Assert.Single(Validate(new ModelSpec { Ets = notation }, Positive(60)));
        Assert.Equal("model.ets", error.Field);
        Assert.Contains(notation, error.Message);
    }

    [Fact]
    public void Damped_conflicting_with_the_trend_is_refused_on_the_damped_field()
    {
        Assert.Equal("model.damped", Assert.Single(Validate(new ModelSpec { Ets = "MAdM", Damped = false }, Positive(60))).Field);
        Assert.Equal("model.damped", Assert.Single(Validate(new ModelSpec { Ets = "ANN", Damped = true }, Positive(60))).Field);
    }

    [Fact]
    public void Multiplicative_components_on_data_not_strictly_positive_are_refused()
    {
        var values = Positive(60);
        values[10] = 0;
        var error = Assert.Single(Validate(new ModelSpec { Ets = "MNN" }, values));
        Assert.Equal("model.ets", error.Field);
        Assert.Contains("strictly positive", error.Message);
        Assert.Equal("model.ets", Assert.Single(Validate(new ModelSpec { Ets = "ANM" }, values)).Field); // also R's forbidden A,·,M
        Assert.Empty(Validate(new ModelSpec(), values)); // ZZZ chooses among the additive models
    }

    [Fact]
    public void An_additive_error_with_a_multiplicative_season_is_refused()
    {
        Assert.Equal("model.ets", Assert.Single(Validate(new ModelSpec { Ets = "AAM" }, Positive(60))).Field);
    }

    [Fact]
    public void A_season_longer_than_the_data_or_than_24_is_refused_on_the_season_field()
    {
        var tooLong = Assert.Single(Validate(new ModelSpec { Season = 40 }, Positive(30)));
        Assert.Equal("model.season", tooLong.Field);
        Assert.Contains("mstl", tooLong.Message);
        var longerThanData = Validate(new ModelSpec { Season = 12, Ets = "AAA" }, Positive(12));
        Assert.Contains(longerThanData, e => e.Field == "model.season" && e.Message.Contains("more than 12"));
        Assert.Equal("model.season", Assert.Single(Validate(new ModelSpec(), Positive(200), Frequency.Weekly)).Field); // 52 by default
        Assert.Empty(Validate(new ModelSpec { Season = 1 }, Positive(200), Frequency.Weekly));
        Assert.Equal("model.season", Assert.Single(Validate(new ModelSpec { Ets = "ANA", Season = 1 }, Positive(60))).Field);
    }

    [Fact]
    public void Too_few_observations_for_the_model_are_refused()
    {
        Assert.Equal("split", Assert.Single(Validate(new ModelSpec { Ets = "AAA", Season = 4 }, Positive(12))).Field);
    }
}
