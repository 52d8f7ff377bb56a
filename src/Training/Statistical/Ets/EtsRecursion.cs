namespace Forecasting.Training.Statistical.Ets;

/// <summary>
/// The ETS state recursions (Hyndman et al. 2008, table 2.1), as R's etscalc: states are the level, the growth and
/// the last m seasonal indices (most recent first); one-step errors are y − ŷ for additive errors and (y − ŷ)/ŷ for
/// multiplicative ones.
/// </summary>
public static class EtsRecursion
{
    private const double Tolerance = 1e-10;
    private const double Huge = 1e10;

    /// <summary>
    /// Runs the recursion over <paramref name="y"/> from <paramref name="state"/> (updated in place to the state after
    /// the last observation) and returns R's likelihood criterion, −2 log L up to a constant:
    /// n·log(Σe²) (+ 2·Σ log|ŷ| for multiplicative errors); +∞ when a forecast is undefined.
    /// </summary>
    public static double Run(EtsModel model, EtsParameters parameters, Span<double> state, ReadOnlySpan<double> y, Span<double> residuals = default)
    {
        var m = model.HasSeason ? model.Period : 1;
        Span<double> previousSeason = stackalloc double[m];
        double sumSquares = 0, sumLogForecasts = 0;
        for (var t = 0; t < y.Length; t++)
        {
            var forecast = OneStep(model, parameters.Phi, state);
            if (double.IsNaN(forecast)) return double.PositiveInfinity;
            var error = model.Error == EtsComponent.Additive ? y[t] - forecast : (y[t] - forecast) / forecast;
            if (!residuals.IsEmpty) residuals[t] = error;
            Update(model, parameters, state, previousSeason, y[t]);
            sumSquares += error * error;
            sumLogForecasts += Math.Log(Math.Abs(forecast));
        }
        var criterion = y.Length * Math.Log(sumSquares);
        if (model.Error == EtsComponent.Multiplicative) criterion += 2 * sumLogForecasts;
        return criterion;
    }

    /// <summary>The one-step forecast from a state: NaN where a multiplicative trend's growth is negative.</summary>
    public static double OneStep(EtsModel model, double phi, ReadOnlySpan<double> state)
    {
        var level = state[0];
        double forecast = model.Trend switch
        {
            EtsComponent.Additive => level + phi * state[1],
            EtsComponent.Multiplicative => state[1] < 0 ? double.NaN : level * Math.Pow(state[1], phi),
            _ => level,
        };
        if (!model.HasSeason) return forecast;
        var oldest = state[StateIndexOfSeason(model) + model.Period - 1];
        return model.Season == EtsComponent.Additive ? forecast + oldest : forecast * oldest;
    }

    /// <summary>Where the seasonal indices start in the state vector.</summary>
    public static int StateIndexOfSeason(EtsModel model) => model.HasTrend ? 2 : 1;

    private static void Update(EtsModel model, EtsParameters p, Span<double> state, Span<double> previousSeason, double y)
    {
        var oldLevel = state[0];
        var oldGrowth = model.HasTrend ? state[1] : 0;
        double damped, predictedLevel;
        switch (model.Trend)
        {
            case EtsComponent.Additive:
                damped = p.Phi * oldGrowth;
                predictedLevel = oldLevel + damped;
                break;
            case EtsComponent.Multiplicative:
                damped = Math.Abs(p.Phi - 1) < Tolerance ? oldGrowth : Math.Pow(oldGrowth, p.Phi);
                predictedLevel = oldLevel * damped;
                break;
            default:
                damped = 0;
                predictedLevel = oldLevel;
                break;
        }
        var seasonStart = StateIndexOfSeason(model);
        var m = model.Period;
        double oldestSeason = 0;
        if (model.HasSeason)
        {
            state.Slice(seasonStart, m).CopyTo(previousSeason);
            oldestSeason = previousSeason[m - 1];
        }
        var deseasonalised = model.Season switch
        {
            EtsComponent.Additive => y - oldestSeason,
            EtsComponent.Multiplicative => Math.Abs(oldestSeason) < Tolerance ? Huge : y / oldestSeason,
            _ => y,
        };
        var level = predictedLevel + p.Alpha * (deseasonalised - predictedLevel);
        state[0] = level;
        if (model.HasTrend)
        {
            var growth = model.Trend == EtsComponent.Additive ? level - oldLevel
                : Math.Abs(oldLevel) < Tolerance ? Huge : level / oldLevel;
            state[1] = damped + p.Beta / p.Alpha * (growth - damped);
        }
        if (model.HasSeason)
        {
            var detrended = model.Season == EtsComponent.Additive ? y - predictedLevel
                : Math.Abs(predictedLevel) < Tolerance ? Huge : y / predictedLevel;
            state[seasonStart] = oldestSeason + p.Gamma * (detrended - oldestSeason);
            for (var j = 1; j < m; j++) state[seasonStart + j] = previousSeason[j - 1];
        }
    }
}
