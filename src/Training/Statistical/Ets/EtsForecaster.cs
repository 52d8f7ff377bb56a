namespace Forecasting.Training.Statistical.Ets;

/// <summary>
/// The fit of <c>ets</c> for one target: the chosen model and every candidate's AICc. A forecast runs the recursion
/// from the fitted initial states over the history (taken to start where the training period started, at the same
/// place in the season) and forecasts from the last state with the training period's σ².
/// </summary>
public sealed record EtsForecaster(EtsFit Fit, IReadOnlyList<EtsCandidate>? Candidates) : IUnivariateForecaster
{
    public int MinimumHistory => 1;

    public (double[] Mean, double[] Variance) Forecast(ReadOnlySpan<double> history, int horizon) =>
        EtsForecast.Compute(Fit, Fit.FinalState(history), horizon);

    public double[][] ForecastAtOrigins(ReadOnlySpan<double> values, IReadOnlyList<int> origins, int horizon)
    {
        // One pass of the recursion, forecasting at each origin in increasing order.
        var rows = new double[origins.Count][];
        var order = Enumerable.Range(0, origins.Count).OrderBy(o => origins[o]).ToArray();
        var state = (double[])Fit.InitialStates.Clone();
        var done = 0;
        foreach (var o in order)
        {
            EtsRecursion.Run(Fit.Model, Fit.Parameters, state, values[done..origins[o]]);
            done = origins[o];
            rows[o] = EtsForecast.Compute(Fit, state, horizon, withVariance: false).Mean;
        }
        return rows;
    }
}
