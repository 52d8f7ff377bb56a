using Forecasting.Domain;
using Forecasting.Training.Models;
using Forecasting.Training.Statistical.Transforms;

namespace Forecasting.Training.Tests.Statistical.Transforms;

/// <summary>The transform and its inverse; R's back-transformed points and bounds from R's own transformed-scale forecasts.</summary>
public sealed class SeriesTransformTests
{
    [Theory]
    [MemberData(nameof(BoxCoxReference.Names), MemberType = typeof(BoxCoxReference))]
    public void Back_transform_of_Rs_transformed_forecast_matches_Rs_points_and_bounds(string name)
    {
        var reference = BoxCoxReference.Case(name);
        var lambda = reference.GetProperty("lambda").GetDouble();
        var mean = reference.Numbers("transformedMean");
        var variance = reference.Numbers("transformedSe").Select(s => s * s).ToArray();
        var onTransformedScale = PredictionIntervals.Gaussian("y", mean, variance, [80, 95]);

        var plain = new SeriesTransform(TransformKind.BoxCox, lambda, false).BackTransform(onTransformedScale, variance);
        var adjusted = new SeriesTransform(TransformKind.BoxCox, lambda, true).BackTransform(onTransformedScale, variance);

        AssertRelative(reference.Numbers("mean"), plain.Mean, 1e-9);
        AssertRelative(reference.Numbers("adjustedMean"), adjusted.Mean, 1e-9);
        AssertRelative(reference.Numbers("lower80"), plain.Lower[80], 1e-9);
        AssertRelative(reference.Numbers("upper80"), plain.Upper[80], 1e-9);
        AssertRelative(reference.Numbers("lower95"), plain.Lower[95], 1e-9);
        AssertRelative(reference.Numbers("upper95"), plain.Upper[95], 1e-9);
        Assert.Equal(plain.Lower[95], adjusted.Lower[95]); // the adjustment moves the point only
    }

    [Theory]
    [InlineData(TransformKind.BoxCox, 0.3)]
    [InlineData(TransformKind.BoxCox, 0)]
    [InlineData(TransformKind.BoxCox, -0.7)]
    [InlineData(TransformKind.Log1p, 0)]
    public void Inverse_undoes_the_transform(TransformKind kind, double lambda)
    {
        var transform = new SeriesTransform(kind, lambda, false);
        foreach (var y in new[] { 0.5, 1, 3.25, 112, 48_000 })
            Assert.Equal(y, transform.Inverse(transform.Forward(y)), y * 1e-12);
        if (kind == TransformKind.Log1p) Assert.Equal(0, transform.Inverse(transform.Forward(0.0)));
    }

    [Fact]
    public void Log1p_bias_adjustment_is_the_log_normal_mean_of_one_plus_y()
    {
        var transform = new SeriesTransform(TransformKind.Log1p, 0, true);
        // 1 + y is log-normal's median e^μ; R's adjustment for λ = 0 is e^μ(1 + σ²/2).
        Assert.Equal(Math.Exp(2) * (1 + 0.5 * 0.04) - 1, transform.Point(2, 0.04), 1e-12);
    }

    [Fact]
    public void A_bound_beyond_a_negative_lambdas_range_is_unbounded()
    {
        var transform = new SeriesTransform(TransformKind.BoxCox, -0.5, false);
        Assert.Equal(double.PositiveInfinity, transform.Inverse(2.5)); // −1/λ = 2: no y has a transform that high
        Assert.True(double.IsFinite(transform.Inverse(1.9)));
    }

    [Theory]
    [InlineData(TransformKind.BoxCox, 0.5, new[] { 3.0, 0, 2 }, null)]
    [InlineData(TransformKind.BoxCox, 0.5, new[] { 3.0, -1, 2 }, "transform boxcox with lambda 0.5 needs non-negative values, and the value at t1 is -1")]
    [InlineData(TransformKind.BoxCox, 0.0, new[] { 3.0, 2, 0 }, "transform boxcox with lambda 0 needs positive values, and the value at t2 is 0")]
    [InlineData(TransformKind.BoxCox, null, new[] { 0.0, 2 }, "transform boxcox with lambda auto needs positive values, and the value at t0 is 0")]
    [InlineData(TransformKind.Log1p, null, new[] { 0.0, 2 }, null)]
    [InlineData(TransformKind.Log1p, null, new[] { 0.0, -1 }, "transform log1p needs values above −1, and the value at t1 is -1")]
    public void Names_the_first_value_outside_the_domain(TransformKind kind, double? lambda, double[] values, string? expected)
    {
        var spec = new TransformSpec { Kind = kind, Lambda = kind == TransformKind.Log1p ? null : lambda is { } l ? new BoxCoxLambda(l) : BoxCoxLambda.Auto };
        Assert.Equal(expected, SeriesTransform.WhyNotApplicable(spec, values, i => $"t{i}"));
    }

    private static void AssertRelative(double[] expected, double[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var k = 0; k < expected.Length; k++)
            Assert.True(Math.Abs(actual[k] - expected[k]) <= tolerance * Math.Abs(expected[k]), $"step {k + 1}: {actual[k]} against R's {expected[k]}");
    }
}
