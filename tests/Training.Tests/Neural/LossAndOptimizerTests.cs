using Forecasting.Domain;
using Forecasting.Training.Neural.Core;
using Forecasting.Training.Neural.Losses;
using Forecasting.Training.Neural.Optimizers;

namespace Forecasting.Training.Tests.Neural;

public class LossAndOptimizerTests
{
    private static double Reference(LossKind loss, double d) => loss switch
    {
        LossKind.Mse => d * d,
        LossKind.Mae => Math.Abs(d),
        _ => Math.Abs(d) <= 1 ? 0.5 * d * d : Math.Abs(d) - 0.5,
    };

    [Theory]
    [InlineData(LossKind.Mse)]
    [InlineData(LossKind.Mae)]
    [InlineData(LossKind.Huber)]
    public void Loss_value_and_gradient_match_float64_reference(LossKind name)
    {
        var loss = Loss.Create(name);
        const int steps = 2, features = 3, batch = 5, lanes = 8;
        var rng = new Random(3);
        var pred = new LaneTensor(steps, features, lanes);
        var target = new LaneTensor(steps, features, lanes);
        for (var i = 0; i < pred.Data.Length; i++)
        {
            pred.Data[i] = (float)(rng.NextDouble() * 4 - 2);
            target.Data[i] = (float)(rng.NextDouble() * 4 - 2);
        }
        var grad = new LaneTensor(steps, features, lanes);
        var value = loss.Compute(pred, target, batch, grad);
        var p = new double[steps * features * batch];
        double Objective()
        {
            double s = 0;
            for (var r = 0; r < steps * features; r++)
                for (var b = 0; b < batch; b++) s += Reference(name, p[r * batch + b] - target.Data[r * lanes + b]);
            return s / (steps * features * batch);
        }
        for (var r = 0; r < steps * features; r++)
            for (var b = 0; b < batch; b++) p[r * batch + b] = pred.Data[r * lanes + b];
        Assert.True(Math.Abs(Objective() - value) < 1e-6 * (1 + Math.Abs(value)), $"loss {value} vs reference {Objective()}");
        var numeric = GradientCheck.Differences(p, Objective);
        var analytic = new double[p.Length];
        for (var r = 0; r < steps * features; r++)
        {
            for (var b = 0; b < batch; b++) analytic[r * batch + b] = grad.Data[r * lanes + b];
            for (var b = batch; b < lanes; b++) Assert.Equal(0f, grad.Data[r * lanes + b]);
        }
        GradientCheck.Compare($"{name} gradient", analytic, numeric, 1e-3);
    }

    private static Parameter Scalar(float value)
    {
        var p = new Parameter("w", [1]);
        p.Value[0] = value;
        return p;
    }

    private static float[] Run(Optimizer optimizer, params float[] gradients)
    {
        var p = Scalar(1f);
        var trace = new List<float>();
        foreach (var g in gradients)
        {
            p.Grad[0] = g;
            optimizer.Step([p]);
            trace.Add(p.Value[0]);
        }
        return [.. trace];
    }

    [Fact]
    public void Sgd_plain_momentum_and_nesterov_match_hand_computed_steps()
    {
        Assert.Equal([0.95f, 0.9f], Run(new SgdOptimizer(0.1f), 0.5f, 0.5f));
        // v1 = −0.05 → w 0.95; v2 = 0.9·(−0.05) − 0.05 = −0.095 → w 0.855.
        var momentum = Run(new SgdOptimizer(0.1f, 0.9f), 0.5f, 0.5f);
        Assert.Equal(0.95f, momentum[0], 6);
        Assert.Equal(0.855f, momentum[1], 6);
        // Nesterov: w += m·v − lr·g: 1 − 0.045 − 0.05 = 0.905; 0.905 − 0.0855 − 0.05 = 0.7695.
        var nesterov = Run(new SgdOptimizer(0.1f, 0.9f, nesterov: true), 0.5f, 0.5f);
        Assert.Equal(0.905f, nesterov[0], 6);
        Assert.Equal(0.7695f, nesterov[1], 6);
    }

    [Fact]
    public void Adam_matches_keras_formula()
    {
        // Computed by hand (Python float64) from Keras' update: lr_t = lr·√(1−β2ᵗ)/(1−β1ᵗ), w −= lr_t·m/(√v + 1e-7).
        var w = Run(new AdamOptimizer(0.001f), 0.5f, -0.2f, 0.3f);
        Assert.Equal(0.9990000063245154, w[0], 6);
        Assert.Equal(0.9986544025069336, w[1], 6);
        Assert.Equal(0.9981099649421707, w[2], 6);
    }

    [Theory]
    [InlineData(32, 32)]
    [InlineData(20, 32)]
    [InlineData(37, 48)]
    public void Mse_vector_path_matches_the_scalar_formula(int batch, int lanes)
    {
        var rng = new Random(batch);
        var (p, y, grad) = (new LaneTensor(3, 2, lanes), new LaneTensor(3, 2, lanes), new LaneTensor(3, 2, lanes));
        for (var i = 0; i < p.Data.Length; i++) (p.Data[i], y.Data[i], grad.Data[i]) = ((float)rng.NextDouble(), (float)rng.NextDouble(), 9f);
        var value = new MeanSquaredError().Compute(p, y, batch, grad);
        double expected = 0;
        var scale = 1f / (6 * batch);
        for (var r = 0; r < 6; r++)
            for (var l = 0; l < lanes; l++)
            {
                var k = r * lanes + l;
                var d = p.Data[k] - y.Data[k];
                if (l < batch) expected += (double)d * d;
                Assert.Equal(l < batch ? 2f * d * scale : 0f, grad.Data[k]);
            }
        Assert.Equal(expected / (6 * batch), value, 12);
    }

    [Fact]
    public void Adam_vector_path_is_bitwise_equal_to_the_scalar_formula()
    {
        // 37 entries: two 16-wide vectors (AVX-512) and a scalar tail, over three steps.
        var rng = new Random(3);
        var p = new Parameter("w", [37]);
        for (var i = 0; i < p.Length; i++) p.Value[i] = (float)(rng.NextDouble() - 0.5);
        var w = (float[])p.Value.Clone();
        var m = new float[37];
        var v = new float[37];
        var adam = new AdamOptimizer(0.01f);
        for (var t = 1; t <= 3; t++)
        {
            for (var i = 0; i < p.Length; i++) p.Grad[i] = (float)(rng.NextDouble() - 0.5);
            var lrT = (float)(0.01f * Math.Sqrt(1 - Math.Pow(0.999f, t)) / (1 - Math.Pow(0.9f, t)));
            for (var i = 0; i < w.Length; i++)
            {
                m[i] = 0.9f * m[i] + (1 - 0.9f) * p.Grad[i];
                v[i] = 0.999f * v[i] + (1 - 0.999f) * p.Grad[i] * p.Grad[i];
                w[i] -= lrT * m[i] / (MathF.Sqrt(v[i]) + 1e-7f);
            }
            adam.Step([p]);
            for (var i = 0; i < w.Length; i++) Assert.Equal(w[i], p.Value[i]);
        }
    }

    [Fact]
    public void Nadam_matches_keras_formula()
    {
        var w = Run(new NadamOptimizer(0.001f), 0.5f, -0.2f, 0.3f);
        Assert.Equal(0.998943548432935, w[0], 6);
        Assert.Equal(0.9992732558129227, w[1], 6);
        Assert.Equal(0.9986939271855801, w[2], 6);
    }

    [Fact]
    public void Clipping_by_global_norm_rescales_all_gradients_together()
    {
        var a = new Parameter("a", [2]);
        var b = new Parameter("b", [1]);
        a.Grad[0] = 3; a.Grad[1] = 0; b.Grad[0] = 4; // norm 5
        var norm = Optimizer.ClipByGlobalNorm([a, b], 1f);
        Assert.Equal(5, norm, 6);
        Assert.Equal(0.6f, a.Grad[0], 6);
        Assert.Equal(0.8f, b.Grad[0], 6);
        // Below the threshold nothing changes.
        Optimizer.ClipByGlobalNorm([a, b], 2f);
        Assert.Equal(0.6f, a.Grad[0], 6);
        var sgd = new SgdOptimizer(1f) { ClipNorm = 1f };
        var p = Scalar(0f);
        p.Grad[0] = 10f;
        sgd.Step([p]);
        Assert.Equal(-1f, p.Value[0], 6);
    }

    [Fact]
    public void Non_trainable_parameters_are_not_updated()
    {
        var frozen = new Parameter("moving_mean", [1], trainable: false);
        frozen.Grad[0] = 1f;
        new AdamOptimizer(0.1f).Step([frozen]);
        Assert.Equal(0f, frozen.Value[0]);
    }
}

public class FastMathTests
{
    [Fact]
    public void Tanh_and_sigmoid_are_accurate_to_float_rounding()
    {
        var x = Enumerable.Range(-20000, 40001).Select(i => i * 1e-3f).ToArray();
        var t = new float[x.Length];
        var s = new float[x.Length];
        Forecasting.Training.Neural.Core.FastMath.Tanh(x, t);
        Forecasting.Training.Neural.Core.FastMath.Sigmoid(x, s);
        for (var i = 0; i < x.Length; i++)
        {
            Assert.True(Math.Abs(t[i] - Math.Tanh(x[i])) < 1e-6, $"tanh({x[i]}) = {t[i]}");
            Assert.True(Math.Abs(s[i] - 1 / (1 + Math.Exp(-x[i]))) < 1e-6, $"sigmoid({x[i]}) = {s[i]}");
        }
    }

    [Fact]
    public void Tanh_and_sigmoid_give_the_same_bits_on_both_vector_widths_and_keep_NaN()
    {
        // 40,000 floats take the 16-float path, 40,001 the Vector<float> path: the recurrent cells
        // rely on both widths agreeing bit for bit.
        var x = Enumerable.Range(-20000, 40001).Select(i => i * 7.3e-4f).ToArray();
        x[5] = float.NaN;
        x[6] = float.PositiveInfinity;
        x[7] = float.NegativeInfinity;
        foreach (var sigmoid in new[] { false, true })
        {
            var wide = new float[40000];
            var narrow = new float[40001];
            if (sigmoid)
            {
                Forecasting.Training.Neural.Core.FastMath.Sigmoid(x.AsSpan(0, 40000), wide);
                Forecasting.Training.Neural.Core.FastMath.Sigmoid(x, narrow);
            }
            else
            {
                Forecasting.Training.Neural.Core.FastMath.Tanh(x.AsSpan(0, 40000), wide);
                Forecasting.Training.Neural.Core.FastMath.Tanh(x, narrow);
            }
            for (var i = 0; i < wide.Length; i++)
                Assert.Equal(BitConverter.SingleToInt32Bits(narrow[i]), BitConverter.SingleToInt32Bits(wide[i]));
            Assert.True(float.IsNaN(wide[5]));
            Assert.Equal(1f, wide[6], 1e-6f);
            Assert.Equal(sigmoid ? 0f : -1f, wide[7], 1e-6f);
        }
    }
}
