using Forecasting.Training.Statistical.Transforms;

namespace Forecasting.Training.Tests.Statistical.Transforms;

/// <summary>Guerrero's λ against R's BoxCox.lambda(x, method = "guerrero", lower = -1, upper = 2).</summary>
public sealed class GuerreroLambdaTests
{
    [Theory]
    [MemberData(nameof(BoxCoxReference.AutoNames), MemberType = typeof(BoxCoxReference))]
    public void Matches_R(string name)
    {
        var reference = BoxCoxReference.Case(name);
        var lambda = GuerreroLambda.Estimate(reference.Numbers("train"), reference.GetProperty("frequency").GetInt32());
        Assert.Equal(reference.GetProperty("lambda").GetDouble(), lambda, 1e-9);
    }

    [Fact]
    public void A_series_not_longer_than_two_seasons_gets_one_as_R()
    {
        double[] values = [.. Enumerable.Range(1, 24).Select(i => 10.0 + i % 12)];
        Assert.Equal(1, GuerreroLambda.Estimate(values, 12));
    }

    [Fact]
    public void Brent_finds_a_parabola_minimum_within_the_tolerance()
    {
        var x = BrentMinimizer.Minimize(v => (v - 0.37) * (v - 0.37), -1, 2, BrentMinimizer.DefaultTolerance);
        Assert.Equal(0.37, x, 1e-4);
    }
}
