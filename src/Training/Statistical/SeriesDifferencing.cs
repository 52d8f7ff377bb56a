namespace Forecasting.Training.Statistical;

/// <summary>Differencing and its inverse, used for starting values and for the constant's regressor.</summary>
internal static class SeriesDifferencing
{
    /// <summary>Δ^d Δ_s^D y: length n − d − sD.</summary>
    public static double[] Difference(ReadOnlySpan<double> y, int differences, int seasonalDifferences, int season)
    {
        var current = y.ToArray();
        for (var k = 0; k < seasonalDifferences; k++)
        {
            var next = new double[Math.Max(0, current.Length - season)];
            for (var t = 0; t < next.Length; t++) next[t] = current[t + season] - current[t];
            current = next;
        }
        for (var k = 0; k < differences; k++)
        {
            var next = new double[Math.Max(0, current.Length - 1)];
            for (var t = 0; t < next.Length; t++) next[t] = current[t + 1] - current[t];
            current = next;
        }
        return current;
    }

    /// <summary>
    /// The constant's regressor x_t (t = 0..length−1): a sequence whose d-fold and seasonal D-fold difference is 1,
    /// so that a coefficient μ on it is a mean μ of the differenced series. With no differencing x_t = 1 (statsmodels'
    /// trend "c"); with d = 1 it is 1, 2, 3, … (statsmodels' trend "t"). Lower-order terms it picks up by starting
    /// from zero are absorbed by the differencing states.
    /// </summary>
    public static double[] ConstantRegressor(int length, int differences, int seasonalDifferences, int season)
    {
        var x = new double[length];
        Array.Fill(x, 1.0);
        for (var k = 0; k < differences; k++)
            for (var t = 1; t < length; t++) x[t] += x[t - 1];
        for (var k = 0; k < seasonalDifferences; k++)
            for (var t = season; t < length; t++) x[t] += x[t - season];
        return x;
    }
}
