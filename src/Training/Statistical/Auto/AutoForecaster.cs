using Forecasting.Domain;

namespace Forecasting.Training.Statistical.Auto;

/// <summary>
/// <c>auto</c>'s fit for one series and target: the chosen member (select) or the members averaged (ensemble), with
/// the cross-validation scores that decided it. An ensemble's variance is the members' mean variance: the variance of
/// a mean of correlated forecasts is at most that, so the model intervals err on the wide side (conformal intervals
/// are calibrated on the ensemble's own errors).
/// </summary>
public sealed class AutoForecaster(AutoMode mode, IReadOnlyList<AutoMember> members, IReadOnlyList<AutoCandidateScore> scores) : IUnivariateForecaster
{
    public AutoMode Mode => mode;

    public IReadOnlyList<AutoMember> Members => members;

    public IReadOnlyList<AutoCandidateScore> Scores => scores;

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
                variance[k] += v[k] / members.Count;
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
