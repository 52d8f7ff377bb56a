namespace Forecasting.Training.Statistical.Ets;

/// <summary>
/// R's initstate(): the starting values of the free initial states before they are optimised with the smoothing
/// parameters. The season comes from a classical decomposition (three seasons or more) or a regression on a trend
/// and one Fourier pair; the level and growth from a straight line through the first max(10, 2m) seasonally
/// adjusted values.
/// </summary>
public static class EtsInitialStates
{
    /// <summary>[level, growth (with a trend), s0 … s(m−2) (most recent first, with a season)].</summary>
    public static double[] Estimate(EtsModel model, ReadOnlySpan<double> y)
    {
        var n = y.Length;
        var adjusted = y.ToArray();
        double[] initialSeason = [];
        if (model.HasSeason)
        {
            var m = model.Period;
            var multiplicative = model.Season == EtsComponent.Multiplicative;
            var seasonal = n < 3 * m ? FourierSeasonal(y, m, multiplicative) : Decompose(y, m, multiplicative);
            initialSeason = new double[m - 1];
            for (var j = 0; j < m - 1; j++) initialSeason[j] = seasonal[m - 1 - j]; // rev(seasonal[2:m])
            if (multiplicative)
            {
                for (var j = 0; j < m - 1; j++) initialSeason[j] = Math.Max(initialSeason[j], 0.01);
                var sum = initialSeason.Sum();
                if (sum > m)
                {
                    var scale = sum + 0.01 * (m - 1);
                    for (var j = 0; j < m - 1; j++) initialSeason[j] /= scale;
                }
                for (var t = 0; t < n; t++) adjusted[t] = y[t] / Math.Max(seasonal[t], 0.01);
            }
            else
                for (var t = 0; t < n; t++) adjusted[t] = y[t] - seasonal[t];
        }
        var count = Math.Min(Math.Max(10, 2 * (model.HasSeason ? model.Period : 1)), n);
        var states = new List<double>(model.FreeStateCount);
        if (!model.HasTrend)
            states.Add(adjusted.AsSpan(0, count).ToArray().Average());
        else
        {
            var (intercept, slope) = Line(adjusted.AsSpan(0, count));
            if (model.Trend == EtsComponent.Additive)
            {
                if (Math.Abs(intercept + slope) < 1e-8) { intercept *= 1 + 1e-3; slope *= 1 - 1e-3; }
                states.Add(intercept);
                states.Add(slope);
            }
            else
            {
                var level = intercept + slope;
                if (Math.Abs(level) < 1e-8) level = 1e-7;
                var growth = (intercept + 2 * slope) / level;
                level /= growth;
                if (Math.Abs(growth) > 1e10) growth = Math.Sign(growth) * 1e10;
                if (level < 1e-8 || growth < 1e-8) { level = Math.Max(adjusted[0], 1e-3); growth = Math.Max(adjusted[1] / adjusted[0], 1e-3); }
                states.Add(level);
                states.Add(growth);
            }
        }
        states.AddRange(initialSeason);
        return [.. states];
    }

    /// <summary>The least-squares line through (1, y₁) … (k, yₖ), as R's lsfit(1:k, y).</summary>
    private static (double Intercept, double Slope) Line(ReadOnlySpan<double> y)
    {
        var k = y.Length;
        var meanX = (k + 1) / 2.0;
        double meanY = 0;
        foreach (var v in y) meanY += v;
        meanY /= k;
        double sxy = 0, sxx = 0;
        for (var i = 0; i < k; i++)
        {
            var dx = i + 1 - meanX;
            sxy += dx * (y[i] - meanY);
            sxx += dx * dx;
        }
        var slope = sxx == 0 ? 0 : sxy / sxx;
        return (meanY - slope * meanX, slope);
    }

    /// <summary>R's decompose(): the seasonal figure of each observation from a centred moving average of one season.</summary>
    private static double[] Decompose(ReadOnlySpan<double> y, int m, bool multiplicative)
    {
        var n = y.Length;
        var half = m / 2;
        var figureSums = new double[m];
        var figureCounts = new int[m];
        for (var t = half; t < n - half; t++)
        {
            double trend = 0;
            if (m % 2 == 0)
            {
                trend = 0.5 * (y[t - half] + y[t + half]);
                for (var j = t - half + 1; j < t + half; j++) trend += y[j];
            }
            else
                for (var j = t - half; j <= t + half; j++) trend += y[j];
            trend /= m;
            figureSums[t % m] += multiplicative ? y[t] / trend : y[t] - trend;
            figureCounts[t % m]++;
        }
        var figure = new double[m];
        for (var i = 0; i < m; i++) figure[i] = figureSums[i] / figureCounts[i];
        var mean = figure.Average();
        for (var i = 0; i < m; i++) figure[i] = multiplicative ? figure[i] / mean : figure[i] - mean;
        var seasonal = new double[n];
        for (var t = 0; t < n; t++) seasonal[t] = figure[t % m];
        return seasonal;
    }

    /// <summary>
    /// Short series (fewer than three seasons): the detrended values of a regression on an intercept, a linear trend
    /// and the first Fourier pair (sin, cos of 2πt/m; the sine dropped when m = 2), as R's tslm(y ~ trend + fourier(y, 1)).
    /// </summary>
    private static double[] FourierSeasonal(ReadOnlySpan<double> y, int m, bool multiplicative)
    {
        var n = y.Length;
        var columns = m == 2 ? 3 : 4;
        var xtx = new double[columns, columns];
        var xty = new double[columns];
        var row = new double[columns];
        for (var t = 1; t <= n; t++)
        {
            row[0] = 1;
            row[1] = t;
            if (m == 2) row[2] = Math.Cos(Math.PI * t);
            else
            {
                row[2] = Math.Sin(2 * Math.PI * t / m);
                row[3] = Math.Cos(2 * Math.PI * t / m);
            }
            for (var a = 0; a < columns; a++)
            {
                xty[a] += row[a] * y[t - 1];
                for (var b = 0; b < columns; b++) xtx[a, b] += row[a] * row[b];
            }
        }
        var coefficients = Solve(xtx, xty);
        var seasonal = new double[n];
        for (var t = 1; t <= n; t++)
        {
            var trend = coefficients[0] + coefficients[1] * t;
            seasonal[t - 1] = multiplicative ? y[t - 1] / trend : y[t - 1] - trend;
        }
        return seasonal;
    }

    /// <summary>Gaussian elimination with partial pivoting of a small symmetric system.</summary>
    private static double[] Solve(double[,] a, double[] b)
    {
        var k = b.Length;
        for (var c = 0; c < k; c++)
        {
            var pivot = c;
            for (var r = c + 1; r < k; r++) if (Math.Abs(a[r, c]) > Math.Abs(a[pivot, c])) pivot = r;
            if (pivot != c)
            {
                for (var j = 0; j < k; j++) (a[c, j], a[pivot, j]) = (a[pivot, j], a[c, j]);
                (b[c], b[pivot]) = (b[pivot], b[c]);
            }
            for (var r = c + 1; r < k; r++)
            {
                var factor = a[r, c] / a[c, c];
                for (var j = c; j < k; j++) a[r, j] -= factor * a[c, j];
                b[r] -= factor * b[c];
            }
        }
        var x = new double[k];
        for (var r = k - 1; r >= 0; r--)
        {
            var sum = b[r];
            for (var j = r + 1; j < k; j++) sum -= a[r, j] * x[j];
            x[r] = sum / a[r, r];
        }
        return x;
    }
}
