using Forecasting.Domain;

namespace Forecasting.Training.Statistical;

/// <summary>
/// The grid <see cref="AutoSarima"/> searches. Orders p, q, P, Q run from 0 to their maximum; d and D are searched
/// over 0..1 unless fixed. <see cref="IncludeConstant"/> null follows statsmodels' ARIMA default: a constant only
/// when there is no differencing. <see cref="Search"/> picks the whole grid or a stepwise walk through it.
/// </summary>
public sealed record AutoSarimaOptions(
    int MaxArOrder = 2,
    int MaxMaOrder = 2,
    int MaxSeasonalArOrder = 2,
    int MaxSeasonalMaOrder = 2,
    int? Differences = null,
    int? SeasonalDifferences = null,
    bool? IncludeConstant = null,
    SarimaEstimation Estimation = SarimaEstimation.StatsmodelsDefault,
    int MaxDegreeOfParallelism = 0,
    AutoSarimaSearch Search = AutoSarimaSearch.Grid);
