using Forecasting.Domain;

namespace Forecasting.Training.Statistical.Auto;

/// <summary>
/// <c>auto</c>'s fit for one series and target: the chosen member (select) or the members averaged (ensemble), with
/// the cross-validation scores that decided it. An ensemble's variance is the members' mean variance: the variance of
/// a mean of correlated forecasts is at most that, so the model intervals err on the wide side (conformal intervals
/// are calibrated on the ensemble's own errors). A selected member's variance is multiplied by
/// <see cref="VarianceScale"/>: its cross-validation errors' mean square over its own variances, when above 1, so
/// the model intervals are at least as wide as the errors it made on this series (the chosen member wins on error,
/// and a member whose variance is too small would otherwise give narrow intervals).
/// </summary>
public sealed class AutoForecaster(AutoMode mode, IReadOnlyList<AutoMember> members, IReadOnlyList<AutoCandidateScore> scores, string why, double varianceScale = 1)
    : IUnivariateForecaster
{
    public AutoMode Mode => mode;

    public IReadOnlyList<AutoMember> Members => members;

    public IReadOnlyList<AutoCandidateScore> Scores => scores;

    /// <summary>Why these members: the windows and candidates scored, or why there was no cross-validation.</summary>
    public string Why => why;

    public double VarianceScale => varianceScale;

    public int MinimumHistory => members.Max(m => m.Fit.MinimumHistory);

    public (double[] Mean, double[] Variance) Forecast(ReadOnlySpan<double> history, int horizon)
    {
        var mean = new double[horizon];
        var variance = new double[horizon];
        foreach (var member in members)
        {
            var (m, v) = member.Fit.Forecast(history, horizon);
            for (var k = 0; k < horizon; k++)
            {
                mean[k] += m[k] / members.Count;
                variance[k] += varianceScale * v[k] / members.Count;
            }
        }
        return (mean, variance);
    }

    public double[][] ForecastAtOrigins(ReadOnlySpan<double> values, IReadOnlyList<int> origins, int horizon)
    {
        var rows = origins.Select(_ => new double[horizon]).ToArray();
        foreach (var member in members)
        {
            var memberRows = member.Fit.ForecastAtOrigins(values, origins, horizon);
            for (var o = 0; o < rows.Length; o++)
                for (var k = 0; k < horizon; k++) rows[o][k] += memberRows[o][k] / members.Count;
        }
        return rows;
    }
}
