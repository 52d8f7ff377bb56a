using Forecasting.Training.Neural.Core;

namespace Forecasting.Training.Neural.Layers;

/// <summary>
/// Keras Conv1D over time with kernel size, stride, dilation and valid/same/causal padding.
/// Each (output step, tap) is one lane product of the [out, in] slice of the kernel.
/// Parameters: <c>weight</c> [filters, in, kernel] (PyTorch layout), <c>bias</c> [filters].
/// </summary>
public sealed class Conv1DLayer : Layer
{
    private readonly Parameter _weight;
    private readonly Parameter _bias;

    public Conv1DLayer(string name, int inputs, int filters, int kernelSize, int stride, int dilation, ConvPadding padding,
        ActivationKind activation, Random rng) : base(name)
    {
        if (kernelSize < 1 || stride < 1 || dilation < 1) throw new ArgumentException("kernel size, stride and dilation must be positive");
        Inputs = inputs;
        Filters = filters;
        KernelSize = kernelSize;
        Stride = stride;
        Dilation = dilation;
        Padding = padding;
        Activation = activation;
        _weight = AddParameter("weight", [filters, inputs, kernelSize]);
        _bias = AddParameter("bias", [filters]);
        // Keras kernel (k, in, out): fan_in = k·in, fan_out = k·out.
        Initializers.GlorotUniform(_weight.Value, kernelSize * inputs, kernelSize * filters, rng);
    }

    public int Inputs { get; }
    public int Filters { get; }
    public int KernelSize { get; }
    public int Stride { get; }
    public int Dilation { get; }
    public ConvPadding Padding { get; }
    public ActivationKind Activation { get; }

    private int Span => Dilation * (KernelSize - 1) + 1;

    /// <summary>Output length and left padding, as Keras computes them.</summary>
    public (int Length, int PadLeft) Geometry(int steps) => Padding switch
    {
        ConvPadding.Valid => (Math.Max(0, (steps - Span) / Stride + 1), 0),
        ConvPadding.Causal => ((steps - 1) / Stride + 1, Span - 1),
        _ => ((steps + Stride - 1) / Stride, Math.Max(0, ((steps + Stride - 1) / Stride - 1) * Stride + Span - steps) / 2),
    };

    public override (int Steps, int Features) OutputShape(int steps, int features) => (Geometry(steps).Length, Filters);

    private sealed class State(LaneTensor output, float[] dz, int padLeft) : LayerState(output)
    {
        public float[] Dz { get; } = dz;
        public int PadLeft { get; } = padLeft;
    }

    public override LayerState CreateState(int steps, int features, int lanes)
    {
        var (length, padLeft) = Geometry(steps);
        if (length < 1) throw new ArgumentException($"Conv1D: {steps} steps are too few for kernel span {Span}");
        return new State(new LaneTensor(length, Filters, lanes), new float[length * Filters * lanes], padLeft);
    }

    /// <summary>Output steps [lo, hi) whose tap <paramref name="j"/> reads an input step inside [0, steps).</summary>
    private (int Lo, int Hi) TapRange(int j, int padLeft, int steps, int outSteps)
    {
        var shift = j * Dilation - padLeft; // input step = t·stride + shift
        var lo = shift >= 0 ? 0 : (-shift + Stride - 1) / Stride;
        var hi = steps - 1 - shift < 0 ? 0 : Math.Min(outSteps, (steps - 1 - shift) / Stride + 1);
        return (lo, Math.Max(lo, hi));
    }

    /// <summary>Kernels up to this size use the fused whole-sequence kernel (tap tables on the stack).</summary>
    private const int MaxFusedTaps = 16;

    public override void Forward(LayerState state, LaneTensor input, RunMode mode)
    {
        var s = (State)state;
        var y = s.Output;
        var lanes = y.Lanes;
        var rowStride = Inputs * KernelSize;
        if (KernelSize <= MaxFusedTaps)
        {
            // One pass over the output: bias, every tap and ReLU in registers (ConvKernels), instead
            // of a bias fill, one read-modify-write Gemm per (step, tap) and an activation pass.
            Span<int> tapW = stackalloc int[KernelSize];
            Span<int> shift = stackalloc int[KernelSize];
            for (var j = 0; j < KernelSize; j++) (tapW[j], shift[j]) = (j, j * Dilation - s.PadLeft);
            ConvKernels.ConvSteps(_weight.Value, tapW, shift, Stride, rowStride, KernelSize, Filters, Inputs,
                input.Data, input.Steps, Inputs * lanes, y.Data, y.Steps, Filters * lanes, lanes, _bias.Value, Activation == ActivationKind.Relu);
            if (Activation is not (ActivationKind.Relu or ActivationKind.Linear)) Activations.Apply(Activation, y.Data);
            return;
        }
        for (var t = 0; t < y.Steps; t++) LaneKernels.FillRows(_bias.Value, 0, Filters, y.Data, y.Offset(t), lanes);
        for (var j = 0; j < KernelSize; j++)
        {
            var (lo, hi) = TapRange(j, s.PadLeft, input.Steps, y.Steps);
            for (var t = lo; t < hi; t++)
            {
                var ts = t * Stride + j * Dilation - s.PadLeft;
                LaneKernels.Gemm(_weight.Value, j, rowStride, KernelSize, Filters, Inputs, input.Data, input.Offset(ts), y.Data, y.Offset(t), lanes, true);
            }
        }
        Activations.Apply(Activation, y.Data);
    }

    /// <summary>Single-series buffers: the kernel per tap, transposed [kernel][in][filters padded].</summary>
    private sealed class SeriesConvState(SeriesTensor output, int inputs, int kernelSize, int padLeft) : SeriesState(output)
    {
        public float[] Weights { get; } = new float[kernelSize * inputs * output.Stride];
        public int PadLeft { get; } = padLeft;
    }

    public override SeriesState CreateSeriesState(int steps, int features)
    {
        var (length, padLeft) = Geometry(steps);
        if (length < 1) throw new ArgumentException($"Conv1D: {steps} steps are too few for kernel span {Span}");
        return new SeriesConvState(new SeriesTensor(length, Filters), Inputs, KernelSize, padLeft);
    }

    public override void ForwardSeries(SeriesState state, SeriesTensor input)
    {
        var s = (SeriesConvState)state;
        var y = s.Output;
        var rowStride = Inputs * KernelSize;
        var tapSize = Inputs * y.Stride;
        for (var j = 0; j < KernelSize; j++)
            LaneKernels.TransposeIntoLanes(_weight.Value, j, rowStride, KernelSize, Filters, Inputs, Filters, s.Weights, j * tapSize, y.Stride);
        for (var t = 0; t < y.Steps; t++) _bias.Value.CopyTo(y.Step(t));
        for (var j = 0; j < KernelSize; j++)
        {
            // One product per tap: the output steps it reaches are rows, Stride input steps apart.
            var (lo, hi) = TapRange(j, s.PadLeft, input.Steps, y.Steps);
            if (hi <= lo) continue;
            var ts0 = lo * Stride + j * Dilation - s.PadLeft;
            LaneKernels.Gemm(input.Data, input.Offset(ts0), Stride * input.Stride, 1, hi - lo, Inputs, s.Weights, j * tapSize, y.Data, y.Offset(lo), y.Stride, true);
        }
        Activations.Apply(Activation, y.Data);
    }

    public override void Backward(LayerState state, LaneTensor input, LaneTensor gradOutput, LaneTensor? gradInput, RunMode mode)
    {
        var s = (State)state;
        var y = s.Output;
        var lanes = y.Lanes;
        // Linear: dz is the incoming gradient itself (only read below), so skip the copy.
        var dz = Activation == ActivationKind.Linear ? gradOutput.Data : s.Dz;
        if (Activation == ActivationKind.Relu) ConvKernels.ReluBackwardRowSums(y.Data, gradOutput.Data, dz, y.Steps, Filters, lanes, _bias.Grad);
        else
        {
            if (Activation != ActivationKind.Linear) Activations.BackwardFromOutput(Activation, y.Data, gradOutput.Data, dz);
            LaneKernels.AccumulateRowSums(dz, 0, Filters * lanes, Filters, y.Steps, lanes, _bias.Grad);
        }
        var rowStride = Inputs * KernelSize;
        // Stride 1: each input step's gradient is one register pass over the taps that read it
        // (ConvKernels; no clear, no read-modify-write per tap), same summation order as below.
        var fusedInput = gradInput is not null && Stride == 1 && KernelSize <= MaxFusedTaps;
        if (!fusedInput) gradInput?.Clear();
        for (var j = 0; j < KernelSize; j++)
        {
            var (lo, hi) = TapRange(j, s.PadLeft, input.Steps, y.Steps);
            if (hi <= lo) continue;
            var ts0 = lo * Stride + j * Dilation - s.PadLeft;
            ConvKernels.AccumulateOuterLanes32(dz, y.Offset(lo), Filters * lanes, Filters, input.Data, input.Offset(ts0), Stride * Inputs * lanes, Inputs,
                hi - lo, lanes, _weight.Grad, j, rowStride, KernelSize);
            if (gradInput is null || fusedInput) continue;
            for (var t = lo; t < hi; t++)
            {
                var ts = t * Stride + j * Dilation - s.PadLeft;
                LaneKernels.Gemm(_weight.Value, j, KernelSize, rowStride, Inputs, Filters, dz, y.Offset(t), gradInput.Data, input.Offset(ts), lanes, true);
            }
        }
        if (!fusedInput) return;
        Span<int> tapW = stackalloc int[KernelSize];
        Span<int> shift = stackalloc int[KernelSize];
        // Input step s receives tap j from output step s − (j·dilation − padLeft).
        for (var j = 0; j < KernelSize; j++) (tapW[j], shift[j]) = (j, s.PadLeft - j * Dilation);
        ConvKernels.ConvSteps(_weight.Value, tapW, shift, 1, KernelSize, rowStride, Inputs, Filters,
            dz, y.Steps, Filters * lanes, gradInput!.Data, input.Steps, Inputs * lanes, lanes, null, false);
    }
}
