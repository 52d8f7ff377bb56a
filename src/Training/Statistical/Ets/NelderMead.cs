namespace Forecasting.Training.Statistical.Ets;

/// <summary>
/// The Nelder–Mead simplex minimiser of R's optim (nmmin in src/appl/optim.c), which R's ets() calls with reflection 1,
/// contraction 0.5, expansion 2, relative tolerance √ε and at most 2000 evaluations: the same steps, so the same
/// optimum. Non-finite values count as 1e35.
/// </summary>
public static class NelderMead
{
    private const double Big = 1.0e35;

    /// <summary>Minimises <paramref name="function"/> from <paramref name="start"/> (overwritten with the best point); returns the best value.</summary>
    public static double Minimize(Func<double[], double> function, double[] start, double relativeTolerance, int maxEvaluations, CancellationToken cancellationToken = default)
    {
        const double alpha = 1.0, beta = 0.5, gamma = 2.0;
        var n = start.Length;
        var point = (double[])start.Clone();
        var f = function(point);
        if (!double.IsFinite(f)) throw new ArgumentException("The function cannot be evaluated at the initial parameters.");
        var evaluations = 1;
        var tolerance = relativeTolerance * (Math.Abs(f) + relativeTolerance);
        var n1 = n + 1;
        // Column j of the simplex is vertex j; values[j] its function value; the extra column is the centroid.
        var simplex = new double[n, n1 + 1];
        var values = new double[n1 + 1];
        values[0] = f;
        for (var i = 0; i < n; i++) simplex[i, 0] = point[i];
        var low = 0;
        double step = 0;
        for (var i = 0; i < n; i++) step = Math.Max(step, 0.1 * Math.Abs(point[i]));
        if (step == 0) step = 0.1;
        double size = 0;
        for (var j = 1; j < n1; j++)
        {
            for (var i = 0; i < n; i++) simplex[i, j] = point[i];
            var trial = step;
            while (simplex[j - 1, j] == point[j - 1])
            {
                simplex[j - 1, j] = point[j - 1] + trial;
                trial *= 10;
            }
            size += trial;
        }
        var oldSize = size;
        var recompute = true;
        var centroid = n1;
        do
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (recompute)
            {
                for (var j = 0; j < n1; j++)
                {
                    if (j == low) continue;
                    for (var i = 0; i < n; i++) point[i] = simplex[i, j];
                    values[j] = Finite(function(point));
                    evaluations++;
                }
                recompute = false;
            }
            var lowValue = values[low];
            var highValue = lowValue;
            var high = low;
            for (var j = 0; j < n1; j++)
            {
                if (j == low) continue;
                var v = values[j];
                if (v < lowValue) { low = j; lowValue = v; }
                if (v > highValue) { high = j; highValue = v; }
            }
            if (highValue <= lowValue + tolerance) break;

            for (var i = 0; i < n; i++)
            {
                var sum = -simplex[i, high];
                for (var j = 0; j < n1; j++) sum += simplex[i, j];
                simplex[i, centroid] = sum / n;
            }
            for (var i = 0; i < n; i++) point[i] = (1 + alpha) * simplex[i, centroid] - alpha * simplex[i, high];
            var reflected = Finite(function(point));
            evaluations++;
            if (reflected < lowValue)
            {
                values[centroid] = reflected;
                for (var i = 0; i < n; i++)
                {
                    var expanded = gamma * point[i] + (1 - gamma) * simplex[i, centroid];
                    simplex[i, centroid] = point[i];
                    point[i] = expanded;
                }
                var fe = Finite(function(point));
                evaluations++;
                if (fe < reflected)
                {
                    for (var i = 0; i < n; i++) simplex[i, high] = point[i];
                    values[high] = fe;
                }
                else
                {
                    for (var i = 0; i < n; i++) simplex[i, high] = simplex[i, centroid];
                    values[high] = reflected;
                }
            }
            else
            {
                if (reflected < highValue)
                {
                    for (var i = 0; i < n; i++) simplex[i, high] = point[i];
                    values[high] = reflected;
                }
                for (var i = 0; i < n; i++) point[i] = (1 - beta) * simplex[i, high] + beta * simplex[i, centroid];
                var fc = Finite(function(point));
                evaluations++;
                if (fc < values[high])
                {
                    for (var i = 0; i < n; i++) simplex[i, high] = point[i];
                    values[high] = fc;
                }
                else if (reflected >= highValue)
                {
                    recompute = true;
                    size = 0;
                    for (var j = 0; j < n1; j++)
                    {
                        if (j == low) continue;
                        for (var i = 0; i < n; i++)
                        {
                            simplex[i, j] = beta * (simplex[i, j] - simplex[i, low]) + simplex[i, low];
                            size += Math.Abs(simplex[i, j] - simplex[i, low]);
                        }
                    }
                    if (size < oldSize) oldSize = size;
                    else break; // the simplex no longer shrinks
                }
            }
        } while (evaluations <= maxEvaluations);
        for (var i = 0; i < n; i++) start[i] = simplex[i, low];
        return values[low];
    }

    private static double Finite(double value) => double.IsFinite(value) ? value : Big;
}
