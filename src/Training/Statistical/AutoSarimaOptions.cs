using Forecasting.Domain;

namespace Forecasting.Training.Statistical;

/// <summary>
/// What <see cref="AutoSarima"/> searches, with R's <c>auto.arima</c> defaults: p, q up to 5, P, Q up to 2 (and
/// p + q + P + Q ≤ 5 in the grid), d by <see cref="Differencing.Ndiffs"/> (at most 2) and D by
/// <see cref="Differencing.Nsdiffs"/> unless fixed. <see cref="IncludeConstant"/> null searches with and without a
/// constant (a mean when d + D = 0, a drift when d + D = 1) and uses none when d + D ≥ 2, as R does; true or false
/// fixes it. <see cref="MaxModels"/> bounds the stepwise walk (R's nmodels). <see cref="Approximation"/> compares
/// candidates by conditional sums of squares (by default as R: for more than 150 observations or a season above 12).
/// </summary>
public sealed record AutoSarimaOptions(
    int MaxArOrder = 5,
    int MaxMaOrder = 5,
    int MaxSeasonalArOrder = 2,
    int MaxSeasonalMaOrder = 2,
    int MaxOrder = 5,
    int? Differences = null,
    int? SeasonalDifferences = null,
    bool? IncludeConstant = null,
    SarimaEstimation Estimation = SarimaEstimation.StatsmodelsDefault,
    int MaxDegreeOfParallelism = 0,
    AutoSarimaSearch Search = AutoSarimaSearch.Stepwise,
    int MaxModels = 94,
    AutoSarimaApproximation Approximation = AutoSarimaApproximation.Auto);
