using Forecasting.Domain;

namespace Forecasting.Training.Statistical;

/// <summary>
/// Order search by AICc (p, q, P, Q in 0..2; d, D in 0..1 unless fixed; the season is the caller's), over the whole
/// grid or stepwise (<see cref="AutoSarimaSearch"/>). Candidates needing more observations than the series has are
/// recorded as skipped, not fitted. AICc values from different d/D use different effective samples, as in
/// statsmodels; fix d and D for a like-for-like comparison.
/// </summary>
public static class AutoSarima
{
    public static AutoSarimaResult Search(ReadOnlySpan<double> series, int season, AutoSarimaOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        options ??= new AutoSarimaOptions();
        var seasonal = season >= 2;
        var differencing = new List<(int D, int SeasonalD)>();
        foreach (var d in options.Differences is { } fixedD ? [fixedD] : new[] { 0, 1 })
            foreach (var seasonalD in !seasonal ? [0] : options.SeasonalDifferences is { } fixedSeasonalD ? [fixedSeasonalD] : new[] { 0, 1 })
                differencing.Add((d, seasonalD));
        var maxP = options.MaxArOrder;
        var maxQ = options.MaxMaOrder;
        var maxSeasonalP = seasonal ? options.MaxSeasonalArOrder : 0;
        var maxSeasonalQ = seasonal ? options.MaxSeasonalMaOrder : 0;
        SarimaSpec Spec(int p, int d, int q, int seasonalP, int seasonalD, int seasonalQ) =>
            new(p, d, q, seasonalP, seasonalD, seasonalQ, seasonal ? season : 0, options.IncludeConstant ?? d + seasonalD == 0);

        var data = series.ToArray();
        var tried = new List<SarimaSpec>();
        var fits = new Dictionary<SarimaSpec, SarimaFit?>();
        var failures = new Dictionary<SarimaSpec, string?>();
        var parallel = new ParallelOptions
        {
            CancellationToken = cancellationToken,
            MaxDegreeOfParallelism = options.MaxDegreeOfParallelism > 0 ? options.MaxDegreeOfParallelism : Environment.ProcessorCount,
        };

        // Fits the given specs (those not tried yet) in parallel and records them in order.
        void FitAll(IEnumerable<SarimaSpec> specs)
        {
            var batch = specs.Distinct().Where(s => !fits.ContainsKey(s)).ToList();
            var batchFits = new SarimaFit?[batch.Count];
            var batchFailures = new string?[batch.Count];
            Parallel.For(0, batch.Count, parallel, i =>
            {
                var spec = batch[i];
                var problems = SarimaInputValidator.Validate(spec, data.Length);
                if (problems.Count > 0) { batchFailures[i] = "Skipped: " + problems[0]; return; }
                try
                {
                    var fit = SarimaEstimator.Fit(data, spec, options.Estimation, cancellationToken);
                    if (double.IsFinite(fit.Aicc)) batchFits[i] = fit;
                    else batchFailures[i] = "The fit has no finite AICc.";
                }
                catch (SarimaInputException exception)
                {
                    batchFailures[i] = exception.Message;
                }
            });
            for (var i = 0; i < batch.Count; i++)
            {
                tried.Add(batch[i]);
                fits[batch[i]] = batchFits[i];
                failures[batch[i]] = batchFailures[i];
            }
        }

        if (options.Search == AutoSarimaSearch.Grid)
        {
            var grid = new List<SarimaSpec>();
            foreach (var (d, seasonalD) in differencing)
                for (var p = 0; p <= maxP; p++)
                    for (var q = 0; q <= maxQ; q++)
                        for (var seasonalP = 0; seasonalP <= maxSeasonalP; seasonalP++)
                            for (var seasonalQ = 0; seasonalQ <= maxSeasonalQ; seasonalQ++)
                                grid.Add(Spec(p, d, q, seasonalP, seasonalD, seasonalQ));
            FitAll(grid);
        }
        else
        {
            // One walk per (d, D), all advanced together so that each round's fits run in parallel.
            double Aicc(SarimaSpec spec) => fits[spec]?.Aicc ?? double.PositiveInfinity;
            SarimaSpec Clamp(int p, int d, int q, int seasonalP, int seasonalD, int seasonalQ) =>
                Spec(Math.Min(p, maxP), d, Math.Min(q, maxQ), Math.Min(seasonalP, maxSeasonalP), seasonalD, Math.Min(seasonalQ, maxSeasonalQ));
            var starts = differencing.Select(dd => new[]
            {
                Clamp(2, dd.D, 2, 1, dd.SeasonalD, 1), Clamp(0, dd.D, 0, 0, dd.SeasonalD, 0),
                Clamp(1, dd.D, 0, 1, dd.SeasonalD, 0), Clamp(0, dd.D, 1, 0, dd.SeasonalD, 1),
            }).ToList();
            FitAll(starts.SelectMany(s => s));
            var current = starts.Select(s => s.MinBy(Aicc)!).ToList();
            var active = Enumerable.Range(0, current.Count).Where(w => double.IsFinite(Aicc(current[w]))).ToList();
            while (active.Count > 0)
            {
                FitAll(active.SelectMany(w => Neighbours(current[w])));
                var moving = new List<int>();
                foreach (var w in active)
                {
                    var best = Neighbours(current[w]).MinBy(Aicc)!;
                    if (Aicc(best) < Aicc(current[w])) { current[w] = best; moving.Add(w); }
                }
                active = moving;
            }

            IEnumerable<SarimaSpec> Neighbours(SarimaSpec s)
            {
                foreach (var (dp, dq, dsp, dsq) in new[]
                         {
                             (-1, 0, 0, 0), (1, 0, 0, 0), (0, -1, 0, 0), (0, 1, 0, 0), (0, 0, -1, 0), (0, 0, 1, 0), (0, 0, 0, -1), (0, 0, 0, 1),
                             (-1, -1, 0, 0), (1, 1, 0, 0), (0, 0, -1, -1), (0, 0, 1, 1),
                         })
                {
                    int p = s.ArOrder + dp, q = s.MaOrder + dq, seasonalP = s.SeasonalArOrder + dsp, seasonalQ = s.SeasonalMaOrder + dsq;
                    if (p < 0 || q < 0 || seasonalP < 0 || seasonalQ < 0 || p > maxP || q > maxQ || seasonalP > maxSeasonalP || seasonalQ > maxSeasonalQ) continue;
                    yield return Spec(p, s.Differences, q, seasonalP, s.SeasonalDifferences, seasonalQ);
                }
            }
        }

        var results = new List<AutoSarimaCandidate>(tried.Count);
        SarimaFit? bestFit = null;
        foreach (var spec in tried)
        {
            results.Add(new AutoSarimaCandidate(spec, fits[spec]?.Aicc, failures[spec]));
            if (fits[spec] is { } fit && (bestFit is null || fit.Aicc < bestFit.Aicc)) bestFit = fit;
        }
        if (bestFit is null)
            throw new SarimaInputException(
                $"No SARIMA candidate could be fitted to this series of {data.Length} observations ({tried.Select(s => failures[s]).FirstOrDefault(f => f is not null)}); provide a longer series or a smaller search.");
        return new AutoSarimaResult(bestFit, results);
    }
}
