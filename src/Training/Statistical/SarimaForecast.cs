using MathNet.Numerics.Distributions;

namespace Forecasting.Training.Statistical;

/// <summary>Forecast means and variances for steps 1..h ahead, with Gaussian prediction intervals.</summary>
public sealed class SarimaForecast(double[] means, double[] variances)
{
    public IReadOnlyList<double> Means { get; } = means;

    /// <summary>Variance of each step's forecast error (σ² included); grows with the horizon.</summary>
    public IReadOnlyList<double> Variances { get; } = variances;

    public int Horizon => means.Length;

    /// <summary>Central prediction interval at <paramref name="level"/> (e.g. 0.95) for every step.</summary>
    public (double[] Lower, double[] Upper) Interval(double level)
    {
        if (!(level > 0 && level < 1))
            throw new SarimaInputException($"The interval level is {level}; give a level strictly between 0 and 1, such as 0.95.");
        var z = Normal.InvCDF(0, 1, 0.5 + level / 2);
        var lower = new double[means.Length];
        var upper = new double[means.Length];
        for (var h = 0; h < means.Length; h++)
        {
            var half = z * Math.Sqrt(variances[h]);
            lower[h] = means[h] - half;
            upper[h] = means[h] + half;
        }
        return (lower, upper);
    }
}
