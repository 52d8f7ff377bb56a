namespace Forecasting.Training.Statistical;

/// <summary>
/// Which level of a statistical run fits in parallel, one at a time so a worker's cores are not asked for cores × cores:
/// across series and targets when a run has several fits (the fleet case, where every fit is independent), and inside
/// one fit (auto_sarima's candidates) when it has one. A fit learns it runs at the series level from this thread.
/// </summary>
public static class FitParallelism
{
    [ThreadStatic] private static bool _seriesLevel;

    /// <summary>How many fits of one run proceed at once.</summary>
    public static int AcrossSeries => Environment.ProcessorCount;

    /// <summary>The degree a fit may use inside itself: 1 while the series level is parallel, else every core.</summary>
    public static int WithinFit => _seriesLevel ? 1 : Environment.ProcessorCount;

    /// <summary>Runs one fit of a parallel series loop on this thread, its own work serial.</summary>
    public static T AtSeriesLevel<T>(Func<T> fit)
    {
        var was = _seriesLevel;
        _seriesLevel = true;
        try
        {
            return fit();
        }
        finally
        {
            _seriesLevel = was;
        }
    }
}
