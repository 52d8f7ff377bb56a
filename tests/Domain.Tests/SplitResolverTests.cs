using Forecasting.Domain;

namespace Forecasting.Domain.Tests;

public sealed class SplitResolverTests
{
    private static readonly long Jan1 = Frequency.Daily.ToOrdinal(new DateTime(2019, 1, 1));

    private static Series Daily(string id, long start, int length) =>
        new(id, start, length, new Dictionary<string, double[]> { ["v"] = new double[length] });

    private static SeriesPeriods Single(SplitSpec split, Frequency frequency, Series series)
    {
        var (periods, errors) = SplitResolver.Resolve(split, frequency, [series]);
        Assert.Empty(errors);
        return periods[series.Id];
    }

    [Fact]
    public void Date_bounds_are_inclusive()
    {
        // 2019-01-01 .. 2019-01-10
        var periods = Single(new SplitSpec { TrainTo = "2019-01-05", ValidFrom = "2019-01-06", ValidTo = "2019-01-08", TestFrom = "2019-01-09" },
            Frequency.Daily, Daily("s", Jan1, 10));
        Assert.Equal(new IndexRange(0, 5), periods.Train);
        Assert.Equal(new IndexRange(5, 8), periods.Valid);
        Assert.Equal(new IndexRange(8, 10), periods.Test);
    }

    [Fact]
    public void Dates_outside_the_series_are_clipped()
    {
        var periods = Single(new SplitSpec { TrainFrom = "2018-01-01", TrainTo = "2019-01-03", ValidFrom = "2019-01-04", TestFrom = "2019-01-08", TestTo = "2030-01-01" },
            Frequency.Daily, Daily("s", Jan1, 10));
        Assert.Equal(new IndexRange(0, 3), periods.Train);
        Assert.Equal(new IndexRange(3, 7), periods.Valid); // validation runs up to the day before testFrom
        Assert.Equal(new IndexRange(7, 10), periods.Test);
    }

    [Fact]
    public void A_period_asked_for_without_observations_in_any_series_is_refused()
    {
        // Issue 10: a validation period after the end of the data used to give a run without metrics.
        var (_, errors) = SplitResolver.Resolve(new SplitSpec { TrainTo = "2019-01-10", ValidFrom = "2019-02-01" }, Frequency.Daily, [Daily("s", Jan1, 10)]);
        var error = Assert.Single(errors);
        Assert.Equal("split.validFrom", error.Field);
        Assert.Contains("2019-01-10", error.Message);
    }

    [Fact]
    public void Periods_without_observations_in_one_series_of_a_panel_are_null()
    {
        var (periods, errors) = SplitResolver.Resolve(new SplitSpec { TrainTo = "2019-01-10", ValidFrom = "2019-01-11" }, Frequency.Daily,
            [Daily("short", Jan1, 10), Daily("long", Jan1, 20)]);
        Assert.Empty(errors);
        Assert.Equal(new IndexRange(0, 10), periods["short"].Train);
        Assert.Null(periods["short"].Valid);
        Assert.Null(periods["short"].Test);
        Assert.Equal(new IndexRange(10, 20), periods["long"].Valid);
    }

    [Fact]
    public void Weekly_bounds_between_steps_round_inward()
    {
        var monday = Frequency.Weekly.ToOrdinal(new DateTime(2019, 1, 7)); // 2019-01-07 .. 2019-02-04, 5 weeks
        var periods = Single(new SplitSpec { TrainFrom = "2019-01-08", TrainTo = "2019-01-23" }, Frequency.Weekly, Daily("w", monday, 5));
        Assert.Equal(new IndexRange(1, 3), periods.Train); // 01-14 and 01-21
    }

    [Fact]
    public void A_weekly_end_bound_just_before_the_series_start_selects_nothing()
    {
        var monday = Frequency.Weekly.ToOrdinal(new DateTime(2019, 1, 7));
        var (_, errors) = SplitResolver.Resolve(new SplitSpec { TrainTo = "2019-01-04" }, Frequency.Weekly, [Daily("w", monday, 5)]);
        Assert.Equal("split.trainFrom", Assert.Single(errors).Field);
    }

    [Theory]
    [InlineData(null, null, null, "split.trainTo")]
    [InlineData("2019-01-05", "05/01/2019x", null, "split.validFrom")]
    [InlineData("2019-01-05", "2019-01-05", null, "split.validFrom")]
    [InlineData("2019-01-05", "2019-01-07", "2019-01-06", "split.validTo")]
    public void Errors_name_the_field(string? trainTo, string? validFrom, string? validTo, string field)
    {
        var (_, errors) = SplitResolver.Resolve(new SplitSpec { TrainTo = trainTo, ValidFrom = validFrom, ValidTo = validTo }, Frequency.Daily, [Daily("s", Jan1, 10)]);
        Assert.Contains(errors, e => e.Field == field);
    }

    [Fact]
    public void Other_errors_name_their_fields()
    {
        var series = new[] { Daily("s", Jan1, 10) };
        Assert.Contains(SplitResolver.Resolve(new SplitSpec { TrainTo = "2019-01-05", TestFrom = "2019-01-03" }, Frequency.Daily, series).Errors, e => e.Field == "split.testFrom");
        Assert.Contains(SplitResolver.Resolve(new SplitSpec { TrainTo = "2019-01-05", TestTo = "2019-01-09" }, Frequency.Daily, series).Errors, e => e.Field == "split.testFrom");
        Assert.Contains(SplitResolver.Resolve(new SplitSpec { TrainFrom = "2019-01-06", TrainTo = "2019-01-05" }, Frequency.Daily, series).Errors, e => e.Field == "split.trainTo");
        Assert.Contains(SplitResolver.Resolve(new SplitSpec { TrainTo = "2018-12-31" }, Frequency.Daily, series).Errors, e => e.Field == "split.trainFrom");
        Assert.Contains(SplitResolver.Resolve(new SplitSpec { TrainTo = "x" }, Frequency.Steps, series).Errors, e => e.Field == "split.trainTo" && e.Message.Contains("step"));
    }

    [Fact]
    public void No_split_trains_on_everything()
    {
        var (periods, errors) = SplitResolver.Resolve(null, Frequency.Daily, [Daily("s", Jan1, 10)]);
        Assert.Empty(errors);
        Assert.Equal(new SeriesPeriods(new IndexRange(0, 10), null, null), periods["s"]);
    }

    [Fact]
    public void Fractions_split_a_single_series_in_time_order()
    {
        var periods = Single(new SplitSpec { Train = 0.7, Valid = 0.2 }, Frequency.Steps, Daily("s", 0, 10));
        Assert.Equal(new IndexRange(0, 7), periods.Train);
        Assert.Equal(new IndexRange(7, 9), periods.Valid);
        Assert.Equal(new IndexRange(9, 10), periods.Test);
        var trainOnly = Single(new SplitSpec { Train = 1 }, Frequency.Steps, Daily("s", 0, 10));
        Assert.Equal((new IndexRange(0, 10), (IndexRange?)null, (IndexRange?)null), (trainOnly.Train, trainOnly.Valid, trainOnly.Test));
    }

    [Fact]
    public void Fractions_split_each_series_of_a_panel_in_time_by_its_own_length()
    {
        Series[] panel = [Daily("a", 0, 60), Daily("b", 5, 20), Daily("c", 0, 10)];
        var (periods, errors) = SplitResolver.Resolve(new SplitSpec { Train = 0.7, Valid = 0.2 }, Frequency.Steps, panel);
        Assert.Empty(errors);
        Assert.Equal(new SeriesPeriods(new IndexRange(0, 42), new IndexRange(42, 54), new IndexRange(54, 60)), periods["a"]);
        Assert.Equal(new SeriesPeriods(new IndexRange(0, 14), new IndexRange(14, 18), new IndexRange(18, 20)), periods["b"]);
        Assert.Equal(new SeriesPeriods(new IndexRange(0, 7), new IndexRange(7, 9), new IndexRange(9, 10)), periods["c"]);
    }

    [Fact]
    public void Fraction_bounds_round_halves_to_even_as_the_dashboard_does()
    {
        // 10 × 0.65 = 6.5 → 6 and 10 × 0.85 = 8.5 → 8 (periods.js's roundHalfEven draws the same periods).
        var periods = Single(new SplitSpec { Train = 0.65, Valid = 0.2 }, Frequency.Steps, Daily("s", 0, 10));
        Assert.Equal(new SeriesPeriods(new IndexRange(0, 6), new IndexRange(6, 8), new IndexRange(8, 10)), periods);
    }

    [Fact]
    public void By_series_holds_out_whole_series_in_order()
    {
        var panel = Enumerable.Range(0, 10).Select(i => Daily(i.ToString(), 0, 60)).ToArray();
        var (periods, errors) = SplitResolver.Resolve(new SplitSpec { Train = 0.7, Valid = 0.2, By = SplitBy.Series }, Frequency.Steps, panel);
        Assert.Empty(errors);
        var all = new IndexRange(0, 60);
        Assert.All(Enumerable.Range(0, 7), i => Assert.Equal(new SeriesPeriods(all, null, null), periods[i.ToString()]));
        Assert.All(Enumerable.Range(7, 2), i => Assert.Equal(new SeriesPeriods(default, all, null), periods[i.ToString()]));
        Assert.Equal(new SeriesPeriods(default, null, all), periods["9"]);
    }

    [Fact]
    public void By_series_needs_fractions_a_panel_and_a_series_for_each_period_asked_for()
    {
        Series[] pair = [Daily("a", 0, 10), Daily("b", 0, 10)];
        var (_, dates) = SplitResolver.Resolve(new SplitSpec { TrainTo = "5", By = SplitBy.Series }, Frequency.Steps, pair);
        Assert.Equal("split.by", Assert.Single(dates).Field);
        var (_, single) = SplitResolver.Resolve(new SplitSpec { Train = 0.5, Valid = 0.5, By = SplitBy.Series }, Frequency.Steps, [Daily("s", 0, 10)]);
        Assert.Equal("split.by", Assert.Single(single).Field);
        Series[] three = [Daily("a", 0, 10), Daily("b", 0, 10), Daily("c", 0, 10)];
        var (_, noValid) = SplitResolver.Resolve(new SplitSpec { Train = 0.8, Valid = 0.1, By = SplitBy.Series }, Frequency.Steps, three);
        Assert.Equal("split.valid", Assert.Single(noValid).Field);
    }

    [Fact]
    public void A_valid_fraction_that_leaves_no_validation_point_is_an_error()
    {
        var (_, errors) = SplitResolver.Resolve(new SplitSpec { Train = 0.9, Valid = 0.01 }, Frequency.Steps, [Daily("s", 0, 10)]);
        Assert.Equal("split.valid", Assert.Single(errors).Field);
    }

    [Theory]
    [InlineData(0.0, null, "split.train")]
    [InlineData(1.5, null, "split.train")]
    [InlineData(0.5, 1.0, "split.valid")]
    [InlineData(0.7, 0.5, "split.valid")]
    public void Fraction_errors_name_the_field(double train, double? valid, string field)
    {
        var (_, errors) = SplitResolver.Resolve(new SplitSpec { Train = train, Valid = valid }, Frequency.Steps, [Daily("s", 0, 10)]);
        Assert.Contains(errors, e => e.Field == field);
    }

    [Fact]
    public void A_train_fraction_too_small_for_one_observation_or_series_is_an_error()
    {
        var (_, single) = SplitResolver.Resolve(new SplitSpec { Train = 0.01 }, Frequency.Steps, [Daily("s", 0, 10)]);
        Assert.Equal("split.train", Assert.Single(single).Field);
        var (_, panel) = SplitResolver.Resolve(new SplitSpec { Train = 0.2, Valid = 0.5, By = SplitBy.Series }, Frequency.Steps, [Daily("a", 0, 10), Daily("b", 0, 10)]);
        Assert.Equal("split.train", Assert.Single(panel).Field);
    }
}
