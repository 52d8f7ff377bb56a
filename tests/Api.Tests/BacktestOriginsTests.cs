using Forecasting.Api.Backtests;
using Forecasting.Domain;

namespace Forecasting.Api.Tests;

/// <summary>The origins of a backtest are counted without listing them: a request's horizon may be anything.</summary>
public sealed class BacktestOriginsTests
{
    [Theory]
    [InlineData("D", "2020-03-01", "2020-03-31", 1)]
    [InlineData("D", "2020-03-01", "2020-03-01", 7)]
    [InlineData("M", "2019-01-01", "2020-12-01", 3)]
    [InlineData("steps", "10", "40", 5)]
    public void The_count_is_the_length_of_the_list(string code, string from, string to, int horizon)
    {
        Assert.True(Frequency.TryParse(code, out var frequency));
        Assert.True(frequency.TryParsePoint(from, out var first));
        Assert.True(frequency.TryParsePoint(to, out var last));
        Assert.Equal(Backtester.Origins(frequency, first, last, horizon).Count, Backtester.OriginCount(frequency, first, last, horizon));
    }

    [Fact]
    public void A_huge_horizon_is_counted_at_once()
    {
        Assert.True(Frequency.Daily.TryParsePoint("2020-03-01", out var from));
        Assert.True(Frequency.Daily.TryParsePoint("2020-03-31", out var to));
        Assert.Equal(30L + int.MaxValue, Backtester.OriginCount(Frequency.Daily, from, to, int.MaxValue));
    }
}
