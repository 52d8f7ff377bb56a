using Forecasting.Training.Statistical;
using Xunit.Abstractions;

namespace Forecasting.Training.Tests.Statistical;

/// <summary>auto_sarima with regressors, as R's auto.arima with xreg: every candidate regresses on them, d is chosen on the regression's residuals.</summary>
public sealed class AutoSarimaRegressorTests(ITestOutputHelper output)
{
    /// <summary>y = 5·x + AR(1) noise, x a random walk: y wanders with x, but its residuals from x do not.</summary>
    private static (double[] Y, double[] X) Data(int n)
    {
        var random = new Random(11);
        var x = new double[n];
        var y = new double[n];
        var noise = 0.0;
        for (var t = 0; t < n; t++)
        {
            x[t] = (t > 0 ? x[t - 1] : 0) + random.NextDouble() - 0.5;
            noise = 0.6 * noise + random.NextDouble() - 0.5;
            y[t] = 50 + 5 * x[t] + noise;
        }
        return (y, x);
    }

    [Fact]
    public void Regressors_are_in_every_candidate_and_the_differencing_is_chosen_on_the_residuals()
    {
        var (y, x) = Data(120);
        var plain = AutoSarima.Search(y, season: 1);
        var withX = AutoSarima.Search(y, [x], season: 1);
        output.WriteLine($"without x: {plain.Best.Spec}; with x: {withX.Best.Spec}, {string.Join(", ", withX.Best.ParameterNames.Zip(withX.Best.Parameters, (n, p) => $"{n}={p:G5}"))}");

        Assert.Equal(1, plain.Best.Spec.Differences); // the random walk makes y non-stationary
        Assert.Equal(0, withX.Best.Spec.Differences); // less 5·x it is an AR(1)
        Assert.All(withX.Candidates, c => Assert.Equal(1, c.Spec.Regressors));
        var beta = withX.Best.Parameters[withX.Best.ParameterNames.ToList().IndexOf("x1")];
        var error = withX.Best.StandardErrors[withX.Best.ParameterNames.ToList().IndexOf("x1")];
        Assert.True(Math.Abs(beta - 5) < 4 * error, $"x1 = {beta:F3} ± {error:F3}, truth 5");
        Assert.True(withX.Best.Aicc < plain.Best.Aicc, $"AICc with x {withX.Best.Aicc:F1}, without {plain.Best.Aicc:F1}");
    }

    [Fact]
    public void The_conditional_approximation_is_refused_with_regressors()
    {
        var (y, x) = Data(60);
        var error = Assert.Throws<SarimaInputException>(() => AutoSarima.Search(y, [x], 1, new AutoSarimaOptions(Approximation: Forecasting.Domain.AutoSarimaApproximation.Always)));
        Assert.Contains("approximation", error.Message);
    }
}
