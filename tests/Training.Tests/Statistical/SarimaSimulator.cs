using Forecasting.Training.Statistical;

namespace Forecasting.Training.Tests.Statistical;

/// <summary>Seeded simulation of a SARIMA process: ARMA on the differenced scale (plus mean), then integrated from zero.</summary>
internal static class SarimaSimulator
{
    public static double[] Simulate(SarimaSpec spec, double[] parameters, int length, int seed)
    {
        var offset = 0;
        var mean = spec.IncludeConstant ? parameters[offset++] : 0;
        var ar = parameters.AsSpan(offset, spec.ArOrder).ToArray(); offset += spec.ArOrder;
        var ma = parameters.AsSpan(offset, spec.MaOrder).ToArray(); offset += spec.MaOrder;
        var seasonalAr = parameters.AsSpan(offset, spec.SeasonalArOrder).ToArray(); offset += spec.SeasonalArOrder;
        var seasonalMa = parameters.AsSpan(offset, spec.SeasonalMaOrder).ToArray(); offset += spec.SeasonalMaOrder;
        var sigma = Math.Sqrt(parameters[offset]);
        var s = spec.Season;

        // Reduced polynomials: (1 − Σφ L)(1 − ΣΦ L^s) = 1 − Σ a L^k, (1 + Σθ L)(1 + ΣΘ L^s) = 1 + Σ b L^k.
        var a = new double[spec.ReducedArOrder + 1];
        for (var i = 0; i < ar.Length; i++) a[i + 1] += ar[i];
        for (var j = 0; j < seasonalAr.Length; j++)
        {
            a[(j + 1) * s] += seasonalAr[j];
            for (var i = 0; i < ar.Length; i++) a[(j + 1) * s + i + 1] -= ar[i] * seasonalAr[j];
        }
        var b = new double[spec.ReducedMaOrder + 1];
        for (var i = 0; i < ma.Length; i++) b[i + 1] += ma[i];
        for (var j = 0; j < seasonalMa.Length; j++)
        {
            b[(j + 1) * s] += seasonalMa[j];
            for (var i = 0; i < ma.Length; i++) b[(j + 1) * s + i + 1] += ma[i] * seasonalMa[j];
        }

        var random = new Random(seed);
        const int burnIn = 1000;
        var total = burnIn + length;
        var shocks = new double[total];
        for (var t = 0; t < total; t++) shocks[t] = sigma * StandardNormal(random);
        var w = new double[total];
        for (var t = 0; t < total; t++)
        {
            var value = shocks[t];
            for (var k = 1; k < a.Length && k <= t; k++) value += a[k] * w[t - k];
            for (var k = 1; k < b.Length && k <= t; k++) value += b[k] * shocks[t - k];
            w[t] = value;
        }
        var y = new double[length];
        for (var t = 0; t < length; t++) y[t] = w[burnIn + t] + mean;
        for (var k = 0; k < spec.SeasonalDifferences; k++)
            for (var t = s; t < length; t++) y[t] += y[t - s];
        for (var k = 0; k < spec.Differences; k++)
            for (var t = 1; t < length; t++) y[t] += y[t - 1];
        return y;
    }

    private static double StandardNormal(Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
