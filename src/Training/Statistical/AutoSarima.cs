using Forecasting.Domain;

namespace Forecasting.Training.Statistical;

/// <summary>
/// Order search as R's <c>auto.arima</c> (forecast 8.20, Hyndman–Khandakar): D by <see cref="Differencing.Nsdiffs"/>,
/// then d by <see cref="Differencing.Ndiffs"/> on the seasonally differenced series; then R's stepwise walk (its start
/// models, its moves in its order, first improvement taken, at most <see cref="AutoSarimaOptions.MaxModels"/> models)
/// or its grid (p + q + P + Q ≤ max order), by AICc. Like R's <c>myarima</c>, a fit whose AR or MA polynomial has a
/// root within 1.01 of the unit circle is rejected (near non-stationary or non-invertible), as is one that did not
/// converge. Fits run in parallel with a bounded degree; the choice follows R's sequential order, so it does not
/// depend on which fit finishes first. On long series (R's rule: more than 150 observations or a season above 12; see
/// <see cref="AutoSarimaOptions.Approximation"/>) candidates are compared by R's approximation, the AICc of a
/// conditional-sum-of-squares fit (<see cref="SarimaConditionalFit"/>), and then refitted by exact likelihood in order of
/// that score until one is accepted, as R does: the model returned is always the exact fit. With regressors (R's
/// <c>xreg</c>) every candidate is a regression with SARIMA errors on them, and d and D are chosen on the residuals of the
/// least-squares regression of the series on them, as R does; candidates are then compared by exact fits only (R's
/// conditional-sum-of-squares approximation estimates the coefficients jointly, which <see cref="SarimaConditionalFit"/>
/// does not).
/// </summary>
public static class AutoSarima
{
    /// <summary>R's myarima rejects fits with an AR or MA root of modulus below this.</summary>
    public const double MinimumRootModulus = 1.01;

    /// <summary>One candidate's result: an exact fit, or only the approximate AICc of a conditional fit.</summary>
    private sealed record Outcome(SarimaFit? Fit, double? Aicc, string? Failure, bool Approximate)
    {
        public double Score => Failure is null ? Aicc!.Value : double.PositiveInfinity;

        public AutoSarimaCandidate Candidate(SarimaSpec spec) => new(spec, Aicc, Failure, Approximate);
    }

    public static AutoSarimaResult Search(ReadOnlySpan<double> series, int season, AutoSarimaOptions? options = null,
        CancellationToken cancellationToken = default) => Search(series, null, season, options, cancellationToken);

    /// <summary>The search with <paramref name="regressors"/> (columns with a value per observation) in every candidate.</summary>
    public static AutoSarimaResult Search(ReadOnlySpan<double> series, IReadOnlyList<double[]>? regressors, int season, AutoSarimaOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        options ??= new AutoSarimaOptions();
        var data = series.ToArray();
        var n = data.Length;
        var k = regressors?.Count ?? 0;
        if (k > 0 && options.Approximation == AutoSarimaApproximation.Always)
            throw new SarimaInputException("The conditional-sum-of-squares approximation does not estimate regression coefficients; with regressors use approximation \"auto\" or \"never\" (both fit every candidate exactly).");
        // R chooses the differencing on the regression's residuals.
        var differencingData = k > 0 ? RegressionResiduals(data, regressors!) : data;
        var m = season >= 2 ? season : 1;
        var seasonal = m > 1;
        // R's caps: no order above a third of the series (of its seasons for P, Q), p and q below the season.
        var maxP = Math.Min(options.MaxArOrder, n / 3);
        var maxQ = Math.Min(options.MaxMaOrder, n / 3);
        var maxSeasonalP = seasonal ? Math.Min(options.MaxSeasonalArOrder, n / 3 / m) : 0;
        var maxSeasonalQ = seasonal ? Math.Min(options.MaxSeasonalMaOrder, n / 3 / m) : 0;
        var seasonalD = !seasonal ? 0 : options.SeasonalDifferences ?? (n <= 2 * m ? 0 : Differencing.Nsdiffs(differencingData, m));
        var d = options.Differences ?? Differencing.Ndiffs(seasonalD > 0 ? SeriesDifferencing.Difference(differencingData, 0, seasonalD, m) : differencingData);
        if (seasonal && maxSeasonalP > 0) maxP = Math.Min(maxP, m - 1);
        if (seasonal && maxSeasonalQ > 0) maxQ = Math.Min(maxQ, m - 1);
        var constantSearched = options.IncludeConstant is null && d + seasonalD <= 1;
        var startConstant = options.IncludeConstant ?? d + seasonalD <= 1;
        SarimaSpec Spec(int p, int q, int seasonalP, int seasonalQ, bool constant) =>
            new(p, d, q, seasonalP, seasonalD, seasonalQ, seasonal ? m : 0, constant, k);

        // R's rule: on long series, or long seasons, candidates are compared by conditional-sum-of-squares fits.
        var approximate = k == 0 && options.Approximation switch
        {
            AutoSarimaApproximation.Always => true,
            AutoSarimaApproximation.Never => false,
            _ => n > 150 || m > 12,
        };
        var degree = options.MaxDegreeOfParallelism > 0 ? options.MaxDegreeOfParallelism : FitParallelism.WithinFit;
        var parallel = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = degree };
        var outcomes = new Dictionary<SarimaSpec, Outcome>();
        var tried = new List<SarimaSpec>();
        // The models the walk compared (in parallel, a few more are fitted ahead and may go unused).
        var visited = new HashSet<SarimaSpec>();

        void FitAll(IEnumerable<SarimaSpec> specs)
        {
            var batch = specs.Distinct().Where(s => !outcomes.ContainsKey(s)).ToList();
            var results = new Outcome[batch.Count];
            Parallel.For(0, batch.Count, parallel, i => results[i] = approximate
                ? EvaluateConditional(data, batch[i], cancellationToken)
                : Evaluate(data, regressors, batch[i], options.Estimation, cancellationToken));
            for (var i = 0; i < batch.Count; i++)
            {
                outcomes[batch[i]] = results[i];
                tried.Add(batch[i]);
            }
        }

        SarimaSpec? best = null;
        if (options.Search == AutoSarimaSearch.Grid)
        {
            var grid = new List<SarimaSpec>();
            for (var p = 0; p <= maxP; p++)
                for (var q = 0; q <= maxQ; q++)
                    for (var seasonalP = 0; seasonalP <= maxSeasonalP; seasonalP++)
                        for (var seasonalQ = 0; seasonalQ <= maxSeasonalQ; seasonalQ++)
                            if (p + q + seasonalP + seasonalQ <= options.MaxOrder)
                                foreach (var constant in constantSearched ? [false, true] : new[] { startConstant })
                                    grid.Add(Spec(p, q, seasonalP, seasonalQ, constant));
            FitAll(grid);
            foreach (var spec in grid)
                if (outcomes[spec].Score < (best is null ? double.PositiveInfinity : outcomes[best].Score)) best = spec;
        }
        else
        {
            best = Stepwise();
        }

        var candidates = tried.Select(s => outcomes[s].Candidate(s)).ToList();
        if (best is null)
            throw new SarimaInputException(
                $"No suitable SARIMA model for this series of {n} observations (d={d}, D={seasonalD}): {tried.Count} candidates were tried and none could be fitted without a root near the unit circle ({tried.Select(s => outcomes[s].Failure).FirstOrDefault(f => f is not null)}); provide a longer series or a smaller search.");
        if (!approximate) return new AutoSarimaResult(outcomes[best].Fit!, candidates);

        // R refits by exact likelihood: the stepwise walk's models in order of their approximate AICc until one is
        // accepted; the grid's best only, and if that is rejected, the whole grid again without approximation.
        var refitOrder = options.Search == AutoSarimaSearch.Grid
            ? [best]
            : tried.Where(visited.Contains).Select((spec, index) => (spec, index)).OrderBy(c => outcomes[c.spec].Score).ThenBy(c => c.index).Select(c => c.spec).ToList();
        for (var start = 0; start < refitOrder.Count;)
        {
            // The first refit is usually accepted; after a rejection the next ones are fitted a batch at a time.
            var batch = refitOrder.Skip(start).Take(start == 0 ? 1 : degree).ToList();
            var refits = new Outcome[batch.Count];
            Parallel.For(0, batch.Count, parallel, i => refits[i] = Evaluate(data, regressors, batch[i], options.Estimation, cancellationToken));
            for (var i = 0; i < batch.Count; i++)
            {
                candidates.Add(refits[i].Candidate(batch[i]));
                if (refits[i].Failure is null) return new AutoSarimaResult(refits[i].Fit!, candidates);
            }
            start += batch.Count;
        }
        if (options.Search == AutoSarimaSearch.Grid)
            return Search(series, regressors, season, options with { Approximation = AutoSarimaApproximation.Never }, cancellationToken);
        throw new SarimaInputException(
            $"No suitable SARIMA model for this series of {n} observations (d={d}, D={seasonalD}): the {tried.Count} candidates compared by their conditional sums of squares were refitted by exact likelihood and each was rejected ({candidates[^1].Failure}); provide a longer series or a smaller search.");

        // R's stepwise search, step for step; fits it will need next are computed ahead in parallel batches.
        SarimaSpec? Stepwise()
        {
            var small = n < 10;
            int p = Math.Min(small ? 1 : 2, maxP), q = Math.Min(small ? 1 : 2, maxQ);
            int seasonalP = Math.Min(small ? 0 : 1, maxSeasonalP), seasonalQ = Math.Min(small ? 0 : 1, maxSeasonalQ);
            var constant = startConstant;
            var starts = new List<(SarimaSpec Spec, int P, int Q, int SP, int SQ)>
            {
                (Spec(p, q, seasonalP, seasonalQ, constant), p, q, seasonalP, seasonalQ),
                (Spec(0, 0, 0, 0, constant), 0, 0, 0, 0),
            };
            if (maxP > 0 || maxSeasonalP > 0)
            {
                int ar = maxP > 0 ? 1 : 0, seasonalAr = seasonal && maxSeasonalP > 0 ? 1 : 0;
                starts.Add((Spec(ar, 0, seasonalAr, 0, constant), ar, 0, seasonalAr, 0));
            }
            if (maxQ > 0 || maxSeasonalQ > 0)
            {
                int ma = maxQ > 0 ? 1 : 0, seasonalMa = seasonal && maxSeasonalQ > 0 ? 1 : 0;
                starts.Add((Spec(0, ma, 0, seasonalMa, constant), 0, ma, 0, seasonalMa));
            }
            // R moves to the zero orders but keeps searching with its constant flag unchanged.
            if (constantSearched && constant) starts.Add((Spec(0, 0, 0, 0, false), 0, 0, 0, 0));
            FitAll(starts.Select(s => s.Spec));

            SarimaSpec chosen = starts[0].Spec;
            var chosenScore = outcomes[chosen].Score;
            visited.Add(chosen);
            foreach (var start in starts.Skip(1))
            {
                visited.Add(start.Spec);
                if (outcomes[start.Spec].Score < chosenScore)
                {
                    chosen = start.Spec;
                    chosenScore = outcomes[chosen].Score;
                    (p, q, seasonalP, seasonalQ) = (start.P, start.Q, start.SP, start.SQ);
                }
            }
            var k = starts.Count;
            var startK = 0;
            while (startK < k && k < options.MaxModels)
            {
                startK = k;
                var moves = Moves(p, q, seasonalP, seasonalQ, constant).Where(move => !visited.Contains(move.Spec)).ToList();
                for (var i = 0; i < moves.Count; i++)
                {
                    if (++k > options.MaxModels) break;
                    if (!outcomes.ContainsKey(moves[i].Spec)) FitAll(moves.Skip(i).Take(degree).Select(move => move.Spec));
                    visited.Add(moves[i].Spec);
                    var score = outcomes[moves[i].Spec].Score;
                    if (score < chosenScore)
                    {
                        chosen = moves[i].Spec;
                        chosenScore = score;
                        (p, q, seasonalP, seasonalQ, constant) = (chosen.ArOrder, chosen.MaOrder, chosen.SeasonalArOrder, chosen.SeasonalMaOrder, chosen.IncludeConstant);
                        break;
                    }
                }
            }
            return double.IsFinite(chosenScore) ? chosen : null;
        }

        // R's neighbours in R's order: seasonal orders first, then non-seasonal, then the constant toggled.
        IEnumerable<(SarimaSpec Spec, bool _)> Moves(int p, int q, int seasonalP, int seasonalQ, bool constant)
        {
            foreach (var (dp, dq, dsp, dsq) in new[]
                     {
                         (0, 0, -1, 0), (0, 0, 0, -1), (0, 0, 1, 0), (0, 0, 0, 1), (0, 0, -1, -1), (0, 0, -1, 1), (0, 0, 1, -1), (0, 0, 1, 1),
                         (-1, 0, 0, 0), (0, -1, 0, 0), (1, 0, 0, 0), (0, 1, 0, 0), (-1, -1, 0, 0), (-1, 1, 0, 0), (1, -1, 0, 0), (1, 1, 0, 0),
                     })
            {
                int ar = p + dp, ma = q + dq, seasonalAr = seasonalP + dsp, seasonalMa = seasonalQ + dsq;
                if (ar < 0 || ma < 0 || seasonalAr < 0 || seasonalMa < 0 || ar > maxP || ma > maxQ || seasonalAr > maxSeasonalP || seasonalMa > maxSeasonalQ) continue;
                yield return (Spec(ar, ma, seasonalAr, seasonalMa, constant), false);
            }
            if (constantSearched) yield return (Spec(p, q, seasonalP, seasonalQ, !constant), false);
        }
    }

    /// <summary>The residuals of the least-squares regression of the series on an intercept and the regressors (R's <c>lm(x ~ xreg)</c>).</summary>
    private static double[] RegressionResiduals(double[] data, IReadOnlyList<double[]> regressors)
    {
        var design = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(data.Length, regressors.Count + 1, (t, j) => j == 0 ? 1 : regressors[j - 1][t]);
        var y = MathNet.Numerics.LinearAlgebra.Vector<double>.Build.Dense(data);
        var coefficients = design.Svd(computeVectors: true).Solve(y);
        return (y - design * coefficients).ToArray();
    }

    private static Outcome Evaluate(double[] data, IReadOnlyList<double[]>? regressors, SarimaSpec spec, SarimaEstimation estimation, CancellationToken cancellationToken)
    {
        var problems = SarimaInputValidator.Validate(spec, data.Length);
        if (problems.Count > 0) return new Outcome(null, null, "Skipped: " + problems[0], false);
        SarimaFit fit;
        try { fit = SarimaEstimator.Fit(data, spec, regressors, estimation, cancellationToken); }
        catch (SarimaInputException exception) { return new Outcome(null, null, exception.Message, false); }
        if (!double.IsFinite(fit.Aicc)) return new Outcome(fit, null, "The fit has no finite AICc.", false);
        // R's checkarima refuses fits whose standard errors cannot be computed; an unconverged optimum is our analogue.
        if (!fit.Converged) return new Outcome(fit, fit.Aicc, "Rejected: the likelihood maximisation did not converge.", false);
        return new Outcome(fit, fit.Aicc, Rejection(fit), false);
    }

    private static Outcome EvaluateConditional(double[] data, SarimaSpec spec, CancellationToken cancellationToken)
    {
        var problems = SarimaInputValidator.Validate(spec, data.Length);
        if (problems.Count > 0) return new Outcome(null, null, "Skipped: " + problems[0], true);
        SarimaConditionalFit fit;
        try { fit = SarimaConditionalFit.Fit(data, spec, cancellationToken); }
        catch (SarimaInputException exception) { return new Outcome(null, null, exception.Message, true); }
        var aicc = fit.Aicc;
        if (!double.IsFinite(aicc)) return new Outcome(null, null, "The conditional fit has no finite AICc.", true);
        return new Outcome(null, aicc, fit.Failure, true);
    }

    /// <summary>Why R's myarima would reject this fit (a root within 1.01 of the unit circle), or null.</summary>
    internal static string? Rejection(SarimaFit fit) => Rejection(fit.Spec, fit.Parameters);

    /// <summary>The same for coefficients [const][x1..xk][ar][ma][seasonal ar][seasonal ma] (anything after them is ignored).</summary>
    internal static string? Rejection(SarimaSpec spec, IReadOnlyList<double> parameters)
    {
        var offset = spec.RegressionTerms;
        double[] Take(int count) { var block = new double[count]; for (var i = 0; i < count; i++) block[i] = parameters[offset + i]; offset += count; return block; }
        var ar = Take(spec.ArOrder);
        var ma = Take(spec.MaOrder);
        var seasonalAr = Take(spec.SeasonalArOrder);
        var seasonalMa = Take(spec.SeasonalMaOrder);
        // Polynomials as 1 + c1 z + …: AR is 1 − φ1 z − …, MA is 1 + θ1 z + … (statsmodels' signs).
        var arPolynomial = Multiply(Negate(ar), 1, Negate(seasonalAr), spec.Season);
        var maPolynomial = Multiply(ma, 1, seasonalMa, spec.Season);
        if (!RootsOutside(arPolynomial, MinimumRootModulus))
            return $"Rejected: the AR polynomial has a root within {MinimumRootModulus} of the unit circle (near non-stationary).";
        if (!RootsOutside(maPolynomial, MinimumRootModulus))
            return $"Rejected: the MA polynomial has a root within {MinimumRootModulus} of the unit circle (near non-invertible).";
        return null;
    }

    private static double[] Negate(double[] coefficients) => coefficients.Select(c => -c).ToArray();

    /// <summary>Coefficients c1.. of (1 + Σ a_i z^(i·s1))(1 + Σ b_j z^(j·s2)).</summary>
    private static double[] Multiply(double[] a, int aStep, double[] b, int bStep)
    {
        var degree = a.Length * aStep + b.Length * bStep;
        var product = new double[degree + 1];
        for (var i = 0; i <= a.Length; i++)
            for (var j = 0; j <= b.Length; j++)
                product[i * aStep + j * bStep] += (i == 0 ? 1 : a[i - 1]) * (j == 0 ? 1 : b[j - 1]);
        return product[1..];
    }

    /// <summary>
    /// Whether every root of 1 + c1 z + … + cp z^p has modulus above <paramref name="radius"/>: the Schur–Cohn
    /// step-down (reverse Levinson) recursion on the polynomial in z / radius.
    /// </summary>
    internal static bool RootsOutside(double[] coefficients, double radius)
    {
        var last = coefficients.Length;
        while (last > 0 && Math.Abs(coefficients[last - 1]) <= 1e-8) last--;
        var a = new double[last];
        var scale = 1.0;
        for (var i = 0; i < last; i++) { scale *= radius; a[i] = -coefficients[i] * scale; }
        var next = new double[last];
        for (var order = last; order >= 1; order--)
        {
            var r = a[order - 1];
            if (!(Math.Abs(r) < 1)) return false;
            var denominator = 1 - r * r;
            for (var i = 0; i < order - 1; i++) next[i] = (a[i] + r * a[order - 2 - i]) / denominator;
            Array.Copy(next, a, order - 1);
        }
        return true;
    }
}
