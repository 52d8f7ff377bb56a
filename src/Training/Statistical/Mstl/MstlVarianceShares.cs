namespace Forecasting.Training.Statistical.Mstl;

/// <summary>
/// The variance of each component of a decomposition as a share of the series' variance (trend, one per season,
/// remainder). The components are not orthogonal, so the shares need not sum to one.
/// </summary>
public sealed record MstlVarianceShares(double Trend, IReadOnlyList<double> Seasonal, double Remainder)
{
    public static MstlVarianceShares Of(ReadOnlySpan<double> series, MstlDecomposition decomposition)
    {
        var total = Variance(series);
        double Share(ReadOnlySpan<double> component) => total > 0 ? Variance(component) / total : 0;
        return new MstlVarianceShares(Share(decomposition.Trend), decomposition.Seasonals.Select(s => Share(s)).ToList(), Share(decomposition.Remainder));
    }

    private static double Variance(ReadOnlySpan<double> values)
    {
        double mean = 0;
        foreach (var v in values) mean += v;
        mean /= values.Length;
        double sum = 0;
        foreach (var v in values) sum += (v - mean) * (v - mean);
        return sum / values.Length;
    }
}
