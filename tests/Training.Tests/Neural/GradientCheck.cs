using Forecasting.Training.Neural.Core;
using Forecasting.Training.Neural.Layers;

namespace Forecasting.Training.Tests.Neural;

/// <summary>
/// Checks a layer against an independent float64 re-implementation of its forward pass:
/// the engine's forward must match the reference, and the engine's float32 analytic gradients
/// (of L = Σ w ⊙ y for random w) must match float64 central differences of the reference,
/// for every trainable parameter entry and every input entry.
/// </summary>
internal static class GradientCheck
{
    /// <summary>A float64 forward: parameters by name suffix, input [batch][steps][features] → output [batch][outSteps][outFeatures].</summary>
    public delegate double[] Reference(Func<string, double[]> parameter, double[] x, int batch);

    public static void Run(Layer layer, int batch, int steps, int features, Reference reference, int seed = 1,
        Func<RunMode>? modeFactory = null, double tolerance = 1e-3)
    {
        var rng = new Random(seed);
        foreach (var p in layer.Parameters)
            if (p.Trainable)
                for (var i = 0; i < p.Length; i++)
                    p.Value[i] = (float)((rng.NextDouble() * 2 - 1) * 0.6 + (p.Name.EndsWith("gamma") ? 1 : 0));
        var lanes = LaneMath.LanesFor(batch);
        var (outSteps, outFeatures) = layer.OutputShape(steps, features);
        var state = layer.CreateState(steps, features, lanes);
        var x = new double[batch * steps * features];
        for (var i = 0; i < x.Length; i++) x[i] = (float)(rng.NextDouble() * 2 - 1);
        var input = new LaneTensor(steps, features, lanes);
        for (var b = 0; b < batch; b++)
            for (var t = 0; t < steps; t++)
                for (var f = 0; f < features; f++)
                    input.Data[input.Offset(t, f) + b] = (float)x[(b * steps + t) * features + f];
        var mode = modeFactory?.Invoke() ?? new RunMode(true, false, new Random(7), batch);
        layer.Forward(state, input, mode);

        var values = layer.Parameters.ToDictionary(p => Suffix(layer, p), p => p.Value.Select(v => (double)v).ToArray());
        double[] Param(string name) => values.TryGetValue(name, out var v) ? v : throw new KeyNotFoundException($"{layer.Name}: no parameter '{name}'");
        var yRef = reference(Param, x, batch);
        Assert.Equal(batch * outSteps * outFeatures, yRef.Length);
        var y = state.Output;
        for (var b = 0; b < batch; b++)
            for (var t = 0; t < outSteps; t++)
                for (var f = 0; f < outFeatures; f++)
                {
                    var expected = yRef[(b * outSteps + t) * outFeatures + f];
                    var actual = y.Data[y.Offset(t, f) + b];
                    Assert.True(Math.Abs(expected - actual) <= 2e-5 * (1 + Math.Abs(expected)),
                        $"{layer.Name} forward at b{b} t{t} f{f}: engine {actual}, reference {expected}");
                }

        var weights = new double[yRef.Length];
        for (var i = 0; i < weights.Length; i++) weights[i] = rng.NextDouble() * 2 - 1;
        var gradOut = new LaneTensor(outSteps, outFeatures, lanes);
        for (var b = 0; b < batch; b++)
            for (var t = 0; t < outSteps; t++)
                for (var f = 0; f < outFeatures; f++)
                    gradOut.Data[gradOut.Offset(t, f) + b] = (float)weights[(b * outSteps + t) * outFeatures + f];
        foreach (var p in layer.Parameters) Array.Clear(p.Grad);
        var gradIn = new LaneTensor(steps, features, lanes);
        layer.Backward(state, input, gradOut, gradIn, mode);

        double Objective() => Dot(reference(Param, x, batch), weights);
        foreach (var p in layer.Parameters.Where(p => p.Trainable))
        {
            var v = values[Suffix(layer, p)];
            var numeric = Differences(v, Objective);
            Compare($"{p.Name} gradient", p.Grad.Select(g => (double)g).ToArray(), numeric, tolerance);
        }
        var numericInput = Differences(x, Objective);
        var analyticInput = new double[x.Length];
        for (var b = 0; b < batch; b++)
            for (var t = 0; t < steps; t++)
                for (var f = 0; f < features; f++)
                    analyticInput[(b * steps + t) * features + f] = gradIn.Data[gradIn.Offset(t, f) + b];
        Compare($"{layer.Name} input gradient", analyticInput, numericInput, tolerance);
        // Padding lanes must not receive gradient.
        for (var t = 0; t < steps; t++)
            for (var f = 0; f < features; f++)
                for (var b = batch; b < lanes; b++)
                    Assert.Equal(0f, gradIn.Data[gradIn.Offset(t, f) + b]);
    }

    public static string Suffix(Layer layer, Parameter p) => p.Name[(layer.Name.Length + 1)..];

    /// <summary>Central differences in float64, step 1e-6.</summary>
    public static double[] Differences(double[] values, Func<double> objective)
    {
        const double eps = 1e-6;
        var grad = new double[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            var keep = values[i];
            values[i] = keep + eps;
            var up = objective();
            values[i] = keep - eps;
            var down = objective();
            values[i] = keep;
            grad[i] = (up - down) / (2 * eps);
        }
        return grad;
    }

    /// <summary>Relative error below tolerance on entries above 1e-3 of the largest; absolute below tolerance·largest elsewhere.</summary>
    public static void Compare(string what, double[] analytic, double[] numeric, double tolerance)
    {
        var max = numeric.Select(Math.Abs).DefaultIfEmpty(0).Max();
        Assert.True(max > 0, $"{what}: all numeric gradients are zero");
        for (var i = 0; i < numeric.Length; i++)
        {
            var err = Math.Abs(analytic[i] - numeric[i]);
            if (Math.Abs(numeric[i]) > 1e-3 * max)
                Assert.True(err / Math.Abs(numeric[i]) < tolerance, $"{what}[{i}]: analytic {analytic[i]:R}, numeric {numeric[i]:R} (rel {err / Math.Abs(numeric[i]):E2})");
            else
                Assert.True(err < tolerance * 1e-3 * max + 1e-7, $"{what}[{i}]: analytic {analytic[i]:R}, numeric {numeric[i]:R} (small entry)");
        }
    }

    public static double Dot(double[] a, double[] b)
    {
        double s = 0;
        for (var i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }
}
