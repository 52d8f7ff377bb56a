namespace Forecasting.Training.Statistical;

/// <summary>
/// Order search by AICc over a small grid (p, q, P, Q in 0..2; d, D in 0..1 unless fixed; the season is the
/// caller's). Candidates needing more observations than the series has are recorded as skipped, not fitted.
/// AICc values from different d/D use different effective samples, as in statsmodels; fix d and D for a
/// like-for-like comparison.
/// </summary>
public static class AutoSarima
{
    public static AutoSarimaResult Search(ReadOnlySpan<double> series, int season, AutoSarimaOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        options ??= new AutoSarimaOptions();
        var seasonal = season >= 2;
        var candidates = new List<SarimaSpec>();
        foreach (var d in options.Differences is { } fixedD ? [fixedD] : new[] { 0, 1 })
            foreach (var seasonalD in !seasonal ? [0] : options.SeasonalDifferences is { } fixedSeasonalD ? [fixedSeasonalD] : new[] { 0, 1 })
                for (var p = 0; p <= options.MaxArOrder; p++)
                    for (var q = 0; q <= options.MaxMaOrder; q++)
                        for (var seasonalP = 0; seasonalP <= (seasonal ? options.MaxSeasonalArOrder : 0); seasonalP++)
                            for (var seasonalQ = 0; seasonalQ <= (seasonal ? options.MaxSeasonalMaOrder : 0); seasonalQ++)
                                candidates.Add(new SarimaSpec(p, d, q, seasonalP, seasonalD, seasonalQ, seasonal ? season : 0,
                                    options.IncludeConstant ?? d + seasonalD == 0));

        var data = series.ToArray();
        var fits = new SarimaFit?[candidates.Count];
        var failures = new string?[candidates.Count];
        var parallel = new ParallelOptions
        {
            CancellationToken = cancellationToken,
            MaxDegreeOfParallelism = options.MaxDegreeOfParallelism > 0 ? options.MaxDegreeOfParallelism : Environment.ProcessorCount,
        };
        Parallel.For(0, candidates.Count, parallel, i =>
        {
            var spec = candidates[i];
            var problems = SarimaInputValidator.Validate(spec, data.Length);
            if (problems.Count > 0) { failures[i] = "Skipped: " + problems[0]; return; }
            try
            {
                var fit = SarimaEstimator.Fit(data, spec, options.Estimation, cancellationToken);
                if (double.IsFinite(fit.Aicc)) fits[i] = fit;
                else failures[i] = "The fit has no finite AICc.";
            }
            catch (SarimaInputException exception)
            {
                failures[i] = exception.Message;
            }
        });

        var results = new List<AutoSarimaCandidate>(candidates.Count);
        SarimaFit? best = null;
        for (var i = 0; i < candidates.Count; i++)
        {
            results.Add(new AutoSarimaCandidate(candidates[i], fits[i]?.Aicc, failures[i]));
            if (fits[i] is { } fit && (best is null || fit.Aicc < best.Aicc)) best = fit;
        }
        if (best is null)
            throw new SarimaInputException(
                $"No SARIMA candidate could be fitted to this series of {data.Length} observations ({failures.FirstOrDefault(f => f is not null)}); provide a longer series or a smaller search.");
        return new AutoSarimaResult(best, results);
    }
}
