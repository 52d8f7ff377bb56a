namespace Forecasting.Training.Models;

/// <summary>
/// The sorted nonconformity scores (|actual − mean| / spread) of one target at one horizon step, kept exactly up
/// to <see cref="MaxPoints"/> scores and as that many evenly spaced empirical quantiles beyond, so a model's
/// state stays small for large panels.
/// </summary>
public sealed record ScoreSample(int Count, double[] Points)
{
    public const int MaxPoints = 1001;

    public static ScoreSample From(List<double> scores) => From(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(scores));

    /// <summary>The sample of <paramref name="scores"/>, which it sorts in place.</summary>
    public static ScoreSample From(Span<double> scores)
    {
        scores.Sort();
        if (scores.Length <= MaxPoints) return new ScoreSample(scores.Length, scores.ToArray());
        var points = new double[MaxPoints];
        for (var i = 0; i < MaxPoints; i++) points[i] = Interpolate(scores, (double)i / (MaxPoints - 1) * (scores.Length - 1));
        return new ScoreSample(scores.Length, points);
    }

    /// <summary>
    /// The split-conformal quantile for a level in percent: the ⌈(n+1)·level/100⌉-th smallest of the n scores,
    /// which covers a new exchangeable error with probability ≥ level. Where that rank exceeds n (too few scores
    /// for the level) the largest score is used and the interval may undercover.
    /// </summary>
    public double Quantile(double level)
    {
        if (Count == 0) return double.NaN;
        var rank = Math.Min(Count, (int)Math.Ceiling((Count + 1) * level / 100 - 1e-9));
        rank = Math.Max(rank, 1);
        if (Points.Length == Count) return Points[rank - 1];
        return Interpolate(Points, Count == 1 ? 0 : (rank - 1.0) / (Count - 1) * (Points.Length - 1));
    }

    private static double Interpolate(ReadOnlySpan<double> sorted, double position)
    {
        var below = (int)Math.Floor(position);
        var above = Math.Min(sorted.Length - 1, below + 1);
        return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
    }
}
