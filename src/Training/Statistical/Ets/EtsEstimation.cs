namespace Forecasting.Training.Statistical.Ets;

/// <summary>
/// Maximum likelihood for one ETS model, as R's etsmodel(): the smoothing parameters start at R's initparam() values
/// and the free initial states at <see cref="EtsInitialStates"/>; all are optimised together by Nelder–Mead on
/// n·log(Σe²) (+ 2·Σlog|ŷ| for multiplicative errors) within <see cref="EtsAdmissibility"/>'s region.
/// </summary>
public static class EtsEstimation
{
    private const int MaxEvaluations = 2000;
    private static readonly double RelativeTolerance = Math.Sqrt(2.220446049250313e-16); // sqrt(.Machine$double.eps)

    /// <summary>The fit, or null when the model has as many parameters as observations less one (R's infinite IC) or no finite likelihood.</summary>
    public static EtsFit? Fit(EtsModel model, ReadOnlySpan<double> y, CancellationToken cancellationToken = default)
    {
        var n = y.Length;
        var start = StartingParameters(model);
        var states = EtsInitialStates.Estimate(model, y);
        var vector = new double[start.Length + states.Length];
        start.CopyTo(vector, 0);
        states.CopyTo(vector, start.Length);
        if (vector.Length >= n - 1) return null;

        var data = y.ToArray();
        var full = new double[model.StateCount];
        double Objective(double[] x)
        {
            var parameters = Unpack(model, x);
            if (!EtsAdmissibility.Accepts(model, parameters)) return double.PositiveInfinity;
            if (!FillStates(model, x.AsSpan(model.SmoothingParameterCount), full)) return double.PositiveInfinity;
            var criterion = EtsRecursion.Run(model, parameters, full, data);
            if (double.IsNaN(criterion)) return double.PositiveInfinity;
            return Math.Max(criterion, -1e10); // avoid perfect fits, as R
        }
        if (!double.IsFinite(Objective(vector))) return null;
        NelderMead.Minimize(Objective, vector, RelativeTolerance, MaxEvaluations, cancellationToken);

        var fitted = Unpack(model, vector);
        var initial = new double[model.StateCount];
        FillStates(model, vector.AsSpan(model.SmoothingParameterCount), initial, checkPositive: false);
        var residuals = new double[n];
        var run = (double[])initial.Clone();
        // A perfect fit (a constant series) scores −1e10, as the optimiser saw it, not −∞.
        var likelihood = Math.Max(EtsRecursion.Run(model, fitted, run, data, residuals), -1e10);
        if (!double.IsFinite(likelihood)) return null;
        var parameterCount = vector.Length + 1; // with the variance, as R's AIC
        var aic = likelihood + 2 * parameterCount;
        var sumSquares = residuals.Sum(e => e * e);
        return new EtsFit(model, fitted, initial, n, -0.5 * likelihood, aic,
            aic + 2.0 * parameterCount * (parameterCount + 1) / (n - parameterCount - 1),
            likelihood + Math.Log(n) * parameterCount,
            sumSquares / (n - vector.Length));
    }

    /// <summary>R's initparam() with the default bounds: alpha = 1e-4 + 0.2·(0.9999 − 1e-4)/m, beta a tenth of the way to alpha, gamma a twentieth of the way to 1 − alpha, phi = 0.9782.</summary>
    private static double[] StartingParameters(EtsModel model)
    {
        const double lower = EtsAdmissibility.LowerSmoothing, upper = EtsAdmissibility.UpperSmoothing;
        var m = model.HasSeason ? model.Period : 1;
        var values = new List<double>(4);
        var alpha = lower + 0.2 * (upper - lower) / m;
        values.Add(alpha);
        if (model.HasTrend)
        {
            var beta = lower + 0.1 * (Math.Min(upper, alpha) - lower);
            values.Add(beta < 0 || beta > alpha ? alpha - 1e-3 : beta);
        }
        if (model.HasSeason)
        {
            var gamma = lower + 0.05 * (Math.Min(upper, 1 - alpha) - lower);
            values.Add(gamma < 0 || gamma > 1 - alpha ? 1 - alpha - 1e-3 : gamma);
        }
        if (model.Damped) values.Add(EtsAdmissibility.LowerPhi + 0.99 * (EtsAdmissibility.UpperPhi - EtsAdmissibility.LowerPhi));
        return [.. values];
    }

    private static EtsParameters Unpack(EtsModel model, ReadOnlySpan<double> x)
    {
        var i = 0;
        var alpha = x[i++];
        var beta = model.HasTrend ? x[i++] : 0;
        var gamma = model.HasSeason ? x[i++] : 0;
        var phi = model.Damped ? x[i] : 1;
        return new EtsParameters(alpha, beta, gamma, phi);
    }

    /// <summary>
    /// The full initial state from the free ones: the last seasonal index makes the indices sum to 0 (additive) or m
    /// (multiplicative). False when a multiplicative season would have a negative index (R rejects such points).
    /// </summary>
    private static bool FillStates(EtsModel model, ReadOnlySpan<double> free, Span<double> full, bool checkPositive = true)
    {
        free.CopyTo(full);
        if (!model.HasSeason) return true;
        var start = EtsRecursion.StateIndexOfSeason(model);
        double sum = 0;
        for (var i = start; i < free.Length; i++) sum += free[i];
        full[^1] = (model.Season == EtsComponent.Multiplicative ? model.Period : 0) - sum;
        if (!checkPositive || model.Season != EtsComponent.Multiplicative) return true;
        for (var i = start; i < full.Length; i++) if (full[i] < 0) return false;
        return true;
    }
}
