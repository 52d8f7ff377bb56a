namespace Forecasting.Training.Statistical;

/// <summary>
/// Limited-memory BFGS (two-loop recursion, Armijo backtracking) with scipy L-BFGS-B's unbounded stopping rules:
/// stop when the largest gradient component is ≤ <see cref="Options.GradientTolerance"/> (scipy's pgtol), when the
/// relative decrease of f is ≤ <see cref="Options.RelativeReductionTolerance"/> (scipy's factr·ε), or after
/// <see cref="Options.MaxIterations"/> iterations — returning the last point, as scipy does, rather than throwing.
/// Gradients are finite differences (see <see cref="Options.CentralDifferences"/>). Allocates only at construction.
/// </summary>
internal sealed class LbfgsMinimizer
{
    /// <param name="CentralDifferences">Central differences (2n evaluations per gradient, accurate to ~1e-10) rather than
    /// forward ones (n evaluations, accurate to ~1e-6): forward suffices for scipy's default tolerance of 1e-5.</param>
    public sealed record Options(double GradientTolerance, double RelativeReductionTolerance, int MaxIterations, bool CentralDifferences, int Memory = 10);

    public sealed record Result(double[] Point, double Value, int Iterations, bool Converged);

    private readonly Func<double[], double> _objective;
    private readonly Action<IReadOnlyList<double[]>, double[], bool> _batchObjective;
    private readonly bool _valueWithGradient;
    private readonly double[][] _probes, _pointAndProbes;
    private readonly double[] _probeValues, _pointAndProbeValues;
    private readonly int _n;
    private readonly Options _options;
    private readonly double[][] _s, _y;
    private readonly double[] _rho, _alpha, _gradient, _nextGradient, _direction, _next, _probe;

    /// <param name="batchObjective">Evaluates several points at once (used for the gradient's probes); when its flag is
    /// set, the first point's value must equal what <paramref name="objective"/> returns for it, bit for bit.</param>
    /// <param name="valueWithGradient">Evaluate each trial point in the same batch as the probes of its gradient (worth it when
    /// the batch has a spare slot: if the point is accepted, which is usual, its gradient is already there; if not, the
    /// probes were wasted). The iterates are the same either way.</param>
    public LbfgsMinimizer(Func<double[], double> objective, Action<IReadOnlyList<double[]>, double[], bool> batchObjective, int dimension, Options options,
        bool valueWithGradient = false)
    {
        _objective = objective;
        _batchObjective = batchObjective;
        _valueWithGradient = valueWithGradient;
        var probes = options.CentralDifferences ? 2 * dimension : dimension;
        _probes = new double[probes][];
        for (var i = 0; i < probes; i++) _probes[i] = new double[dimension];
        _probeValues = new double[probes];
        _pointAndProbes = new double[probes + 1][];
        _pointAndProbes[0] = new double[dimension];
        for (var i = 0; i < probes; i++) _pointAndProbes[1 + i] = _probes[i];
        _pointAndProbeValues = new double[probes + 1];
        _n = dimension;
        _options = options;
        _s = new double[options.Memory][];
        _y = new double[options.Memory][];
        for (var i = 0; i < options.Memory; i++) { _s[i] = new double[dimension]; _y[i] = new double[dimension]; }
        _rho = new double[options.Memory];
        _alpha = new double[options.Memory];
        _gradient = new double[dimension];
        _nextGradient = new double[dimension];
        _direction = new double[dimension];
        _next = new double[dimension];
        _probe = new double[dimension];
    }

    public Result Minimise(double[] start)
    {
        var x = (double[])start.Clone();
        double f;
        if (_valueWithGradient) f = ValueAndGradient(x, _gradient);
        else
        {
            f = _objective(x);
            Gradient(x, f, _gradient);
        }
        var stored = 0;
        var newest = -1;
        for (var iteration = 0; iteration < _options.MaxIterations; iteration++)
        {
            if (MaxAbs(_gradient) <= _options.GradientTolerance) return new Result(x, f, iteration, true);

            // Two-loop recursion: direction = −H·g.
            Array.Copy(_gradient, _direction, _n);
            for (var k = 0; k < stored; k++)
            {
                var i = (newest - k + _options.Memory) % _options.Memory;
                _alpha[i] = _rho[i] * Dot(_s[i], _direction);
                Axpy(-_alpha[i], _y[i], _direction);
            }
            if (stored > 0)
            {
                var gamma = Dot(_s[newest], _y[newest]) / Dot(_y[newest], _y[newest]);
                for (var j = 0; j < _n; j++) _direction[j] *= gamma;
            }
            for (var k = stored - 1; k >= 0; k--)
            {
                var i = (newest - k + _options.Memory) % _options.Memory;
                var beta = _rho[i] * Dot(_y[i], _direction);
                Axpy(_alpha[i] - beta, _s[i], _direction);
            }
            for (var j = 0; j < _n; j++) _direction[j] = -_direction[j];
            var slope = Dot(_gradient, _direction);
            if (!(slope < 0))
            {
                // Lost descent: restart from steepest descent.
                stored = 0;
                for (var j = 0; j < _n; j++) _direction[j] = -_gradient[j];
                slope = Dot(_gradient, _direction);
            }

            // First step scaled like L-BFGS-B (1/‖d‖), later steps try the quasi-Newton step first.
            var step = stored == 0 ? Math.Min(1.0, 1.0 / Math.Sqrt(Dot(_direction, _direction))) : 1.0;
            var nextValue = double.NaN;
            var accepted = false;
            for (var trial = 0; trial < 40; trial++)
            {
                for (var j = 0; j < _n; j++) _next[j] = x[j] + step * _direction[j];
                nextValue = _valueWithGradient ? ValueAndGradient(_next, _nextGradient) : _objective(_next);
                if (double.IsFinite(nextValue) && nextValue <= f + 1e-4 * step * slope) { accepted = true; break; }
                step *= 0.5;
            }
            if (!accepted) return new Result(x, f, iteration, false);

            if (!_valueWithGradient) Gradient(_next, nextValue, _nextGradient);
            newest = (newest + 1) % _options.Memory;
            for (var j = 0; j < _n; j++)
            {
                _s[newest][j] = _next[j] - x[j];
                _y[newest][j] = _nextGradient[j] - _gradient[j];
            }
            var curvature = Dot(_s[newest], _y[newest]);
            if (curvature > 1e-12 * Math.Sqrt(Dot(_y[newest], _y[newest]) * Dot(_s[newest], _s[newest])))
            {
                _rho[newest] = 1 / curvature;
                stored = Math.Min(stored + 1, _options.Memory);
            }
            else newest = (newest - 1 + _options.Memory) % _options.Memory;

            var reduction = (f - nextValue) / Math.Max(Math.Max(Math.Abs(f), Math.Abs(nextValue)), 1);
            Array.Copy(_next, x, _n);
            Array.Copy(_nextGradient, _gradient, _n);
            f = nextValue;
            if (reduction <= _options.RelativeReductionTolerance) return new Result(x, f, iteration + 1, true);
        }
        return new Result(x, f, _options.MaxIterations, MaxAbs(_gradient) <= _options.GradientTolerance);
    }

    /// <summary>f(x) and its finite-difference gradient from one batch: x first, then the probes.</summary>
    private double ValueAndGradient(double[] x, double[] gradient)
    {
        SetProbes(x);
        Array.Copy(x, _pointAndProbes[0], _n);
        _batchObjective(_pointAndProbes, _pointAndProbeValues, true);
        var value = _pointAndProbeValues[0];
        Array.Copy(_pointAndProbeValues, 1, _probeValues, 0, _probeValues.Length);
        Differences(value, gradient);
        return value;
    }

    private void Gradient(double[] x, double value, double[] gradient)
    {
        SetProbes(x);
        _batchObjective(_probes, _probeValues, false);
        Differences(value, gradient);
    }

    private void SetProbes(double[] x)
    {
        var steps = _probe;
        for (var i = 0; i < _n; i++)
        {
            steps[i] = (_options.CentralDifferences ? 1e-5 : 1e-7) * Math.Max(1, Math.Abs(x[i]));
            Array.Copy(x, _probes[i], _n);
            _probes[i][i] += steps[i];
            if (_options.CentralDifferences)
            {
                Array.Copy(x, _probes[_n + i], _n);
                _probes[_n + i][i] -= steps[i];
            }
        }
    }

    private void Differences(double value, double[] gradient)
    {
        var steps = _probe;
        for (var i = 0; i < _n; i++)
            gradient[i] = _options.CentralDifferences
                ? (_probeValues[i] - _probeValues[_n + i]) / (2 * steps[i])
                : (_probeValues[i] - value) / steps[i];
    }

    private double Dot(double[] a, double[] b)
    {
        var sum = 0.0;
        for (var i = 0; i < _n; i++) sum += a[i] * b[i];
        return sum;
    }

    private void Axpy(double alpha, double[] x, double[] y)
    {
        for (var i = 0; i < _n; i++) y[i] += alpha * x[i];
    }

    private static double MaxAbs(double[] values)
    {
        var max = 0.0;
        foreach (var v in values) max = Math.Max(max, Math.Abs(v));
        return max;
    }
}
