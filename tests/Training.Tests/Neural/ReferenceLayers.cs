namespace Forecasting.Training.Tests.Neural;

/// <summary>
/// Plain float64, sample-major re-implementations of the layers' forward passes, written from
/// the Keras formulas (not from the engine's code) for the gradient checks.
/// </summary>
internal static class ReferenceLayers
{
    public static double Sigmoid(double v) => 1 / (1 + Math.Exp(-v));

    public static double Act(string act, double v) => act switch
    {
        "relu" => Math.Max(0, v),
        "tanh" => Math.Tanh(v),
        "sigmoid" => Sigmoid(v),
        _ => v,
    };

    /// <summary>Σ_k w[row, k]·v[k] for a row-major [rows, cols] matrix.</summary>
    private static double RowDot(double[] w, int row, int cols, double[] v)
    {
        double s = 0;
        for (var k = 0; k < cols; k++) s += w[row * cols + k] * v[k];
        return s;
    }

    private static double[] Slice(double[] x, int b, int t, int steps, int features) =>
        x.AsSpan((b * steps + t) * features, features).ToArray();

    public static double[] Dense(Func<string, double[]> p, double[] x, int batch, int steps, int inputs, int units, string act)
    {
        var w = p("weight");
        var bias = p("bias");
        var y = new double[batch * steps * units];
        for (var b = 0; b < batch; b++)
            for (var t = 0; t < steps; t++)
            {
                var v = Slice(x, b, t, steps, inputs);
                for (var u = 0; u < units; u++) y[(b * steps + t) * units + u] = Act(act, RowDot(w, u, inputs, v) + bias[u]);
            }
        return y;
    }

    /// <summary>Masks: (sample, index) → multiplier; null = no dropout.</summary>
    public delegate double Mask(int sample, int index);

    /// <summary>
    /// Drives a recurrent cell over time. cell(xMasked, hMasked, hPrev, cellState) → new h.
    /// </summary>
    public static double[] Recurrent(double[] x, int batch, int steps, int inputs, int units, bool returnSequences,
        Func<double[], double[], double[], double[], double[]> cell, Mask? inputMask = null, Mask? recurrentMask = null)
    {
        var outSteps = returnSequences ? steps : 1;
        var y = new double[batch * outSteps * units];
        for (var b = 0; b < batch; b++)
        {
            var h = new double[units];
            var c = new double[units];
            for (var t = 0; t < steps; t++)
            {
                var xt = Slice(x, b, t, steps, inputs);
                if (inputMask is not null) for (var f = 0; f < inputs; f++) xt[f] *= inputMask(b, f);
                var hm = (double[])h.Clone();
                if (recurrentMask is not null) for (var k = 0; k < units; k++) hm[k] *= recurrentMask(b, k);
                h = cell(xt, hm, h, c);
                if (returnSequences) Array.Copy(h, 0, y, (b * steps + t) * units, units);
            }
            if (!returnSequences) Array.Copy(h, 0, y, b * units, units);
        }
        return y;
    }

    public static double[] SimpleRnn(Func<string, double[]> p, double[] x, int batch, int steps, int inputs, int units, bool returnSequences,
        Mask? inputMask = null, Mask? recurrentMask = null)
    {
        var (wih, whh, bias) = (p("weight_ih"), p("weight_hh"), p("bias"));
        return Recurrent(x, batch, steps, inputs, units, returnSequences, (xt, hm, _, _) =>
        {
            var h = new double[units];
            for (var u = 0; u < units; u++) h[u] = Math.Tanh(RowDot(wih, u, inputs, xt) + RowDot(whh, u, units, hm) + bias[u]);
            return h;
        }, inputMask, recurrentMask);
    }

    public static double[] Lstm(Func<string, double[]> p, double[] x, int batch, int steps, int inputs, int units, bool returnSequences,
        Mask? inputMask = null, Mask? recurrentMask = null)
    {
        var (wih, whh, bias) = (p("weight_ih"), p("weight_hh"), p("bias"));
        return Recurrent(x, batch, steps, inputs, units, returnSequences, (xt, hm, _, c) =>
        {
            double Z(int row) => RowDot(wih, row, inputs, xt) + RowDot(whh, row, units, hm) + bias[row];
            var h = new double[units];
            for (var u = 0; u < units; u++)
            {
                var i = Sigmoid(Z(u));
                var f = Sigmoid(Z(units + u));
                var g = Math.Tanh(Z(2 * units + u));
                var o = Sigmoid(Z(3 * units + u));
                c[u] = f * c[u] + i * g;
                h[u] = o * Math.Tanh(c[u]);
            }
            return h;
        }, inputMask, recurrentMask);
    }

    public static double[] Gru(Func<string, double[]> p, double[] x, int batch, int steps, int inputs, int units, bool returnSequences,
        Mask? inputMask = null, Mask? recurrentMask = null)
    {
        var (wih, whh, bih, bhh) = (p("weight_ih"), p("weight_hh"), p("bias_ih"), p("bias_hh"));
        return Recurrent(x, batch, steps, inputs, units, returnSequences, (xt, hm, hPrev, _) =>
        {
            var h = new double[units];
            for (var u = 0; u < units; u++)
            {
                var z = Sigmoid(RowDot(wih, u, inputs, xt) + bih[u] + RowDot(whh, u, units, hm) + bhh[u]);
                var r = Sigmoid(RowDot(wih, units + u, inputs, xt) + bih[units + u] + RowDot(whh, units + u, units, hm) + bhh[units + u]);
                var n = Math.Tanh(RowDot(wih, 2 * units + u, inputs, xt) + bih[2 * units + u] + r * (RowDot(whh, 2 * units + u, units, hm) + bhh[2 * units + u]));
                h[u] = z * hPrev[u] + (1 - z) * n;
            }
            return h;
        }, inputMask, recurrentMask);
    }

    public static double[] LayerNormVector(double[] a, double[] gamma, double[] beta, double epsilon)
    {
        var mean = a.Average();
        var variance = a.Select(v => (v - mean) * (v - mean)).Average();
        var inv = 1 / Math.Sqrt(variance + epsilon);
        return a.Select((v, k) => gamma[k] * (v - mean) * inv + beta[k]).ToArray();
    }

    public static double[] LayerNormRnn(Func<string, double[]> p, double[] x, int batch, int steps, int inputs, int units, bool returnSequences)
    {
        var (wih, whh, bias, gamma, beta) = (p("weight_ih"), p("weight_hh"), p("bias"), p("gamma"), p("beta"));
        return Recurrent(x, batch, steps, inputs, units, returnSequences, (xt, hm, _, _) =>
        {
            var a = new double[units];
            for (var u = 0; u < units; u++) a[u] = RowDot(wih, u, inputs, xt) + RowDot(whh, u, units, hm) + bias[u];
            return LayerNormVector(a, gamma, beta, 1e-3).Select(Math.Tanh).ToArray();
        });
    }

    public static double[] LayerNorm(Func<string, double[]> p, double[] x, int batch, int steps, int features)
    {
        var y = new double[x.Length];
        for (var b = 0; b < batch; b++)
            for (var t = 0; t < steps; t++)
                Array.Copy(LayerNormVector(Slice(x, b, t, steps, features), p("gamma"), p("beta"), 1e-3), 0, y, (b * steps + t) * features, features);
        return y;
    }

    /// <summary>Training-mode batch normalisation: statistics per feature over batch × time.</summary>
    public static double[] BatchNormTraining(Func<string, double[]> p, double[] x, int batch, int steps, int features)
    {
        var (gamma, beta) = (p("gamma"), p("beta"));
        var y = new double[x.Length];
        for (var f = 0; f < features; f++)
        {
            var vals = Enumerable.Range(0, batch * steps).Select(i => x[i * features + f]).ToArray();
            var mean = vals.Average();
            var variance = vals.Select(v => (v - mean) * (v - mean)).Average();
            for (var i = 0; i < batch * steps; i++) y[i * features + f] = gamma[f] * (x[i * features + f] - mean) / Math.Sqrt(variance + 1e-3) + beta[f];
        }
        return y;
    }

    /// <summary>Keras Conv1D; weight [filters, in, kernel].</summary>
    public static double[] Conv1D(Func<string, double[]> p, double[] x, int batch, int steps, int inputs, int filters, int kernel, int stride, int dilation,
        string padding, string act, out int outSteps)
    {
        var span = dilation * (kernel - 1) + 1;
        int padLeft;
        switch (padding)
        {
            case "valid": outSteps = (steps - span) / stride + 1; padLeft = 0; break;
            case "causal": outSteps = (steps - 1) / stride + 1; padLeft = span - 1; break;
            default:
                outSteps = (steps + stride - 1) / stride;
                padLeft = Math.Max(0, (outSteps - 1) * stride + span - steps) / 2;
                break;
        }
        var (w, bias) = (p("weight"), p("bias"));
        var y = new double[batch * outSteps * filters];
        for (var b = 0; b < batch; b++)
            for (var t = 0; t < outSteps; t++)
                for (var o = 0; o < filters; o++)
                {
                    var s = bias[o];
                    for (var j = 0; j < kernel; j++)
                    {
                        var ts = t * stride + j * dilation - padLeft;
                        if (ts < 0 || ts >= steps) continue;
                        for (var c = 0; c < inputs; c++) s += w[(o * inputs + c) * kernel + j] * x[(b * steps + ts) * inputs + c];
                    }
                    y[(b * outSteps + t) * filters + o] = Act(act, s);
                }
        return y;
    }

    public static double[] WaveNet(Func<string, double[]> p, double[] x, int batch, int steps, int inputs, int filters, int[] dilations, int kernel)
    {
        Func<string, double[]> Sub(string prefix) => name => p($"{prefix}.{name}");
        var z = Conv1D(Sub("input"), x, batch, steps, inputs, filters, kernel, 1, 1, "causal", "linear", out _);
        var skip = new double[z.Length];
        for (var j = 0; j < dilations.Length; j++)
        {
            var d = Conv1D(Sub($"block{j}.dilated"), z, batch, steps, filters, 2 * filters, kernel, 1, dilations[j], "causal", "linear", out _);
            var gated = new double[z.Length];
            for (var i = 0; i < batch * steps; i++)
                for (var f = 0; f < filters; f++)
                    gated[i * filters + f] = Math.Tanh(d[i * 2 * filters + f]) * Sigmoid(d[i * 2 * filters + filters + f]);
            var s = Conv1D(Sub($"block{j}.residual"), gated, batch, steps, filters, filters, 1, 1, 1, "valid", "linear", out _);
            for (var i = 0; i < z.Length; i++)
            {
                z[i] += s[i];
                skip[i] += s[i];
            }
        }
        var relu = skip.Select(v => Math.Max(0, v)).ToArray();
        return Conv1D(Sub("head"), relu, batch, steps, filters, filters, 1, 1, 1, "valid", "relu", out _);
    }
}
