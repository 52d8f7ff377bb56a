using Forecasting.Training.Statistical;
using Xunit.Abstractions;

namespace Forecasting.Training.Tests.Statistical;

/// <summary>Fits to series simulated from known parameters recover them, and never do worse than the truth.</summary>
public sealed class SarimaRecoveryTests(ITestOutputHelper output)
{
    public static TheoryData<string, SarimaSpec, double[], int, int> Cases => new()
    {
        { "ARMA(1,1) with constant", new SarimaSpec(1, 0, 1, IncludeConstant: true), [10.0, 0.6, 0.3, 1.0], 400, 11 },
        { "ARIMA(0,1,1) with drift", new SarimaSpec(0, 1, 1, IncludeConstant: true), [0.5, 0.4, 2.0], 400, 12 },
        { "SARIMA(1,0,0)(0,1,1,12)", new SarimaSpec(1, 0, 0, 0, 1, 1, 12), [0.5, -0.6, 1.0], 480, 13 },
        { "SARIMA(0,1,1)(1,0,0,4) no constant", new SarimaSpec(0, 1, 1, 1, 0, 0, 4), [-0.3, 0.5, 4.0], 400, 14 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Estimates_lie_within_two_standard_errors_of_the_truth(string name, SarimaSpec spec, double[] truth, int length, int seed)
    {
        var y = SarimaSimulator.Simulate(spec, truth, length, seed);
        foreach (var estimation in new[] { SarimaEstimation.StatsmodelsDefault, SarimaEstimation.FullConvergence })
        {
            var fit = SarimaEstimator.Fit(y, spec, estimation);
            for (var i = 0; i < truth.Length; i++)
            {
                output.WriteLine($"{name} {estimation} {fit.ParameterNames[i]}: {fit.Parameters[i]:F4} ± {fit.StandardErrors[i]:F4} (true {truth[i]})");
                Assert.True(double.IsFinite(fit.StandardErrors[i]) && fit.StandardErrors[i] > 0);
                Assert.InRange(fit.Parameters[i], truth[i] - 2 * fit.StandardErrors[i], truth[i] + 2 * fit.StandardErrors[i]);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Maximised_log_likelihood_is_not_below_the_truth(string name, SarimaSpec spec, double[] truth, int length, int seed)
    {
        var y = SarimaSimulator.Simulate(spec, truth, length, seed);
        var atTruth = new SarimaLikelihood(spec, y, scale: 1).Evaluate(truth);
        foreach (var estimation in new[] { SarimaEstimation.StatsmodelsDefault, SarimaEstimation.FullConvergence })
        {
            var fit = SarimaEstimator.Fit(y, spec, estimation);
            output.WriteLine($"{name} {estimation}: llf {fit.LogLikelihood:F4} vs {atTruth:F4} at the truth");
            Assert.True(fit.LogLikelihood >= atTruth - 1e-6, $"{name}: {fit.LogLikelihood} < {atTruth}");
        }
    }

    [Fact]
    public void Full_convergence_never_ends_below_the_statsmodels_default()
    {
        var spec = new SarimaSpec(1, 0, 0, 0, 1, 1, 12);
        var y = SarimaSimulator.Simulate(spec, [0.5, -0.6, 1.0], 480, 21).Select(v => v * 1e5).ToArray();
        var quick = SarimaEstimator.Fit(y, spec);
        var full = SarimaEstimator.Fit(y, spec, SarimaEstimation.FullConvergence);
        Assert.True(full.LogLikelihood >= quick.LogLikelihood - 1e-6);
    }
}
