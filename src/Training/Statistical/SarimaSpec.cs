namespace Forecasting.Training.Statistical;

/// <summary>
/// Orders of a SARIMA(p,d,q)(P,D,Q,s) model, as statsmodels' <c>ARIMA(order=(p,d,q), seasonal_order=(P,D,Q,s))</c>.
/// <see cref="IncludeConstant"/> adds a mean for the differenced series: with no differencing it is
/// exactly statsmodels' <c>trend="c"</c>; with differencing it is the drift that statsmodels expresses as a
/// polynomial trend of degree d+D (e.g. <c>trend="t"</c> for d=1), since it refuses a plain constant there.
/// <see cref="Regressors"/> counts exogenous regressors: regression with SARIMA errors, as statsmodels'
/// <c>ARIMA(endog, exog=X, ...)</c> (y_t = const·c_t + X_t β + u_t with u_t the SARIMA process; the differencing applies
/// to u_t, so X is not differenced in the likelihood).
/// </summary>
public sealed record SarimaSpec(
    int ArOrder,
    int Differences,
    int MaOrder,
    int SeasonalArOrder = 0,
    int SeasonalDifferences = 0,
    int SeasonalMaOrder = 0,
    int Season = 0,
    bool IncludeConstant = false,
    int Regressors = 0)
{
    public bool HasSeasonalTerms => SeasonalArOrder > 0 || SeasonalDifferences > 0 || SeasonalMaOrder > 0;

    /// <summary>Season length used by the state space (0 when there are no seasonal terms).</summary>
    internal int EffectiveSeason => HasSeasonalTerms ? Season : 0;

    /// <summary>Degree of the AR polynomial once the seasonal polynomial is multiplied in.</summary>
    public int ReducedArOrder => ArOrder + SeasonalArOrder * EffectiveSeason;

    /// <summary>Degree of the MA polynomial once the seasonal polynomial is multiplied in.</summary>
    public int ReducedMaOrder => MaOrder + SeasonalMaOrder * EffectiveSeason;

    /// <summary>States that carry the differencing (d + s·D); they start with the approximate diffuse prior.</summary>
    public int DifferencingStates => Differences + SeasonalDifferences * EffectiveSeason;

    /// <summary>Estimated parameters, including sigma2 (statsmodels counts it too for AIC/BIC).</summary>
    public int ParameterCount => RegressionTerms + ArOrder + MaOrder + SeasonalArOrder + SeasonalMaOrder + 1;

    /// <summary>The leading parameters that are regression coefficients: the constant, then one per regressor.</summary>
    internal int RegressionTerms => (IncludeConstant ? 1 : 0) + Regressors;

    /// <summary>
    /// Fewest observations we accept: the differencing states, the deepest lag, every parameter, and two more
    /// so that the AICc denominator stays positive.
    /// </summary>
    public int MinimumObservations => DifferencingStates + Math.Max(ReducedArOrder, ReducedMaOrder) + ParameterCount + 2;

    /// <summary>Parameter names in statsmodels' order and spelling.</summary>
    public IReadOnlyList<string> ParameterNames
    {
        get
        {
            var names = new List<string>(ParameterCount);
            if (IncludeConstant) names.Add("const");
            for (var i = 1; i <= Regressors; i++) names.Add($"x{i}");
            for (var i = 1; i <= ArOrder; i++) names.Add($"ar.L{i}");
            for (var i = 1; i <= MaOrder; i++) names.Add($"ma.L{i}");
            for (var i = 1; i <= SeasonalArOrder; i++) names.Add($"ar.S.L{i * Season}");
            for (var i = 1; i <= SeasonalMaOrder; i++) names.Add($"ma.S.L{i * Season}");
            names.Add("sigma2");
            return names;
        }
    }

    public override string ToString() =>
        $"SARIMA({ArOrder},{Differences},{MaOrder})({SeasonalArOrder},{SeasonalDifferences},{SeasonalMaOrder},{Season})"
        + (IncludeConstant ? " with constant" : "")
        + (Regressors > 0 ? $" with {Regressors} regressor{(Regressors == 1 ? "" : "s")}" : "");
}
