using System.Text.Json;
using Forecasting.Tests.Shared;
using Forecasting.Training.Statistical.Ets;
using Xunit.Abstractions;

namespace Forecasting.Training.Tests.Statistical.Ets;

/// <summary>Fixed models against R's ets(y, model, damped) (tests/Reference/ets.R): parameters, likelihood, forecasts and intervals.</summary>
public sealed class EtsFixedModelTests(ITestOutputHelper output)
{
    private static readonly JsonElement Fixture = ReferenceFixture.Load("ets.json");

    public static TheoryData<string, string> Cases()
    {
        var cases = new TheoryData<string, string>();
        foreach (var c in Fixture.GetProperty("fixed").EnumerateArray()) cases.Add(c.GetProperty("name").GetString()!, c.GetProperty("model").GetString()!);
        return cases;
    }

    private static double[] Numbers(JsonElement element, string name) => [.. element.GetProperty(name).EnumerateArray().Select(v => v.GetDouble())];

    private static EtsComponent Component(JsonElement components, string name) => components.GetProperty(name).GetString() switch
    {
        "A" => EtsComponent.Additive,
        "M" => EtsComponent.Multiplicative,
        _ => EtsComponent.None,
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fits_R_s_likelihood_parameters_and_forecasts(string name, string model)
    {
        var reference = Fixture.GetProperty("fixed").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name && c.GetProperty("model").GetString() == model);
        var components = reference.GetProperty("components");
        var season = Component(components, "season");
        var ets = new EtsModel(Component(components, "error"), Component(components, "trend"), components.GetProperty("damped").GetBoolean(), season,
            season == EtsComponent.None ? 1 : reference.GetProperty("season").GetInt32());
        var train = Numbers(reference, "train");
        var horizon = reference.GetProperty("horizon").GetInt32();

        var fit = EtsEstimation.Fit(ets, train)!;
        var (mean, variance) = new EtsForecaster(fit, null).Forecast(train, horizon);

        var rMean = Numbers(reference, "mean");
        var rHalf80 = Numbers(reference, "upper80").Zip(rMean, (u, m) => u - m).ToArray();
        var half80 = variance.Select(v => 1.2815515655446004 * Math.Sqrt(v)).ToArray();
        var meanDeviation = mean.Zip(rMean, (a, b) => Math.Abs(a - b) / Math.Abs(b)).Max();
        var widthDeviation = half80.Zip(rHalf80, (a, b) => Math.Abs(a - b) / b).Max();
        output.WriteLine($"{name} {ets.Name}: loglik {fit.LogLikelihood:F4} (R {reference.GetProperty("loglik").GetDouble():F4}), alpha {fit.Parameters.Alpha:F5} (R {reference.GetProperty("alpha").GetDouble():F5}); " +
            $"mean max dev {100 * meanDeviation:F4}%, 80% half-width max dev {100 * widthDeviation:F4}%");

        Assert.Equal(reference.GetProperty("loglik").GetDouble(), fit.LogLikelihood, 1e-6 * Math.Abs(fit.LogLikelihood));
        Assert.Equal(reference.GetProperty("aicc").GetDouble(), fit.Aicc, 1e-6 * Math.Abs(fit.Aicc));
        Assert.Equal(reference.GetProperty("alpha").GetDouble(), fit.Parameters.Alpha, 1e-4);
        if (ets.HasTrend) Assert.Equal(reference.GetProperty("beta").GetDouble(), fit.Parameters.Beta, 1e-4);
        if (ets.HasSeason) Assert.Equal(reference.GetProperty("gamma").GetDouble(), fit.Parameters.Gamma, 1e-4);
        if (ets.Damped) Assert.Equal(reference.GetProperty("phi").GetDouble(), fit.Parameters.Phi, 1e-4);
        Assert.Equal(reference.GetProperty("sigma2").GetDouble(), fit.Sigma2, 1e-6 * fit.Sigma2);
        Assert.True(meanDeviation < 0.01, $"point forecasts differ from R's by up to {100 * meanDeviation:F3}%");
        // R's class 1 puts gamma on the second seasonal index without a trend, and R's class 3 drops phi from a damped
        // trend's weights; elsewhere the interval widths are R's.
        Assert.True(widthDeviation < 0.02, $"80% interval half-widths differ from R's by up to {100 * widthDeviation:F3}%");
    }
}
