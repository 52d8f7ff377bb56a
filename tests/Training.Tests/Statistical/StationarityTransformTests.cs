using Forecasting.Training.Statistical;

namespace Forecasting.Training.Tests.Statistical;

public sealed class StationarityTransformTests
{
    [Theory]
    [InlineData(new[] { 0.3 })]
    [InlineData(new[] { -2.0, 0.7 })]
    [InlineData(new[] { 1.5, -0.4, 3.0 })]
    public void Constrained_coefficients_are_stationary_and_round_trip(double[] unconstrained)
    {
        var constrained = new double[unconstrained.Length];
        StationarityTransform.Constrain(unconstrained, constrained, new double[2 * unconstrained.Length]);
        Assert.True(StationarityTransform.IsStationary(constrained));
        var back = new double[unconstrained.Length];
        StationarityTransform.Unconstrain(constrained, back);
        for (var i = 0; i < back.Length; i++) Assert.Equal(unconstrained[i], back[i], 9);
    }

    [Fact]
    public void Single_coefficient_matches_statsmodels()
    {
        // statsmodels: constrain_stationary_univariate([u]) = -u / sqrt(1 + u^2) (it returns the negated Levinson row)
        var constrained = new double[1];
        StationarityTransform.Constrain([2.0], constrained, new double[2]);
        Assert.Equal(-2 / Math.Sqrt(5), constrained[0], 12);
    }

    [Fact]
    public void Explosive_coefficients_are_not_stationary()
    {
        Assert.False(StationarityTransform.IsStationary([1.1]));
        Assert.False(StationarityTransform.IsStationary([0.5, 0.6]));
        Assert.True(StationarityTransform.IsStationary([0.5, 0.3]));
    }
}
