namespace Forecasting.Training.Statistical.Mstl;

/// <summary>
/// A series split as R's <c>forecast::mstl()</c> splits it: a trend, one seasonal component per period (in increasing
/// order of period) and the remainder; the seasonally adjusted series is the data less every seasonal component.
/// </summary>
public sealed record MstlDecomposition(IReadOnlyList<int> Seasons, double[] Trend, double[][] Seasonals, double[] Remainder)
{
    /// <summary>Iterations over all the periods, R's <c>iterate = 2</c>.</summary>
    public const int Iterations = 2;

    /// <summary>R's default seasonal window of the i-th period (from 0): <c>7 + 4 i</c> for i from 1, so 11, 15, 19 …</summary>
    public static int SeasonalWindow(int index) => 7 + 4 * (index + 1);

    /// <summary>
    /// Decomposes <paramref name="y"/> with the given periods (increasing, each less than half the series): each
    /// iteration adds one period's seasonal back to the adjusted series, re-estimates it by STL and removes it again;
    /// the trend is the last STL's.
    /// </summary>
    public static MstlDecomposition Decompose(ReadOnlySpan<double> y, IReadOnlyList<int> seasons)
    {
        var n = y.Length;
        var adjusted = y.ToArray();
        var seasonals = new double[seasons.Count][];
        for (var i = 0; i < seasons.Count; i++) seasonals[i] = new double[n];
        double[] trend = [];
        for (var iteration = 0; iteration < Iterations; iteration++)
            for (var i = 0; i < seasons.Count; i++)
            {
                for (var t = 0; t < n; t++) adjusted[t] += seasonals[i][t];
                (seasonals[i], trend) = Stl.Decompose(adjusted, seasons[i], SeasonalWindow(i));
                for (var t = 0; t < n; t++) adjusted[t] -= seasonals[i][t];
            }
        var remainder = new double[n];
        for (var t = 0; t < n; t++) remainder[t] = adjusted[t] - trend[t];
        return new MstlDecomposition(seasons, trend, seasonals, remainder);
    }

    /// <summary>The data less every seasonal component (trend plus remainder).</summary>
    public double[] SeasonallyAdjusted()
    {
        var adjusted = new double[Trend.Length];
        for (var t = 0; t < adjusted.Length; t++) adjusted[t] = Trend[t] + Remainder[t];
        return adjusted;
    }

    /// <summary>The seasonal part of the <paramref name="horizon"/> steps after the data: each component's last cycle repeated (seasonal naive), summed.</summary>
    public double[] SeasonalForecast(int horizon)
    {
        var n = Trend.Length;
        var forecast = new double[horizon];
        for (var i = 0; i < Seasons.Count; i++)
        {
            var season = Seasons[i];
            for (var k = 0; k < horizon; k++) forecast[k] += Seasonals[i][n - season + k % season];
        }
        return forecast;
    }
}
