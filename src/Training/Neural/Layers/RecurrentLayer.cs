using System.Numerics.Tensors;
using Forecasting.Training.Neural.Core;

namespace Forecasting.Training.Neural.Layers;

/// <summary>
/// What every Keras-style recurrent layer shares: the input projection of all steps at once
/// (W_ih·x_t + b into the gate buffer), the recurrent product U·h_{t-1} of all gates per step,
/// input and recurrent dropout masks fixed per sequence (Keras semantics), back-propagation
/// through time, and weight gradients accumulated once per batch over time × batch.
/// A cell only implements one step forward and one step backward.
/// Parameters: <c>weight_ih</c> [gates·units, in], <c>weight_hh</c> [gates·units, units],
/// <c>bias</c> [gates·units] (GRU: <c>bias_ih</c> and <c>bias_hh</c>).
/// </summary>
public abstract class RecurrentLayer : Layer
{
    protected RecurrentLayer(string name, int inputs, int units, int gateCount, bool returnSequences, float dropout, float recurrentDropout,
        Random rng, string biasName = "bias") : base(name)
    {
        Inputs = inputs;
        Units = units;
        GateRows = gateCount * units;
        ReturnSequences = returnSequences;
        Dropout = dropout;
        RecurrentDropout = recurrentDropout;
        WeightIh = AddParameter("weight_ih", [GateRows, inputs]);
        WeightHh = AddParameter("weight_hh", [GateRows, units]);
        Bias = AddParameter(biasName, [GateRows]);
        Initializers.GlorotUniform(WeightIh.Value, inputs, GateRows, rng);
        Initializers.Orthogonal(WeightHh.Value, GateRows, units, rng);
    }

    public int Inputs { get; }
    public int Units { get; }
    public int GateRows { get; }
    public bool ReturnSequences { get; }
    public float Dropout { get; }
    public float RecurrentDropout { get; }
    protected Parameter WeightIh { get; }
    protected Parameter WeightHh { get; }
    protected Parameter Bias { get; }

    protected class RecurrentState : LayerState
    {
        /// <param name="hiddenGrad">Storage for <see cref="Dzh"/> when it differs from Dzx (GRU); null: the same.</param>
        public RecurrentState(LaneTensor output, int steps, int inputs, int units, int gateRows, int lanes, bool returnSequences, float[]? hiddenGrad = null)
            : base(output)
        {
            Steps = steps;
            Lanes = lanes;
            Hs = returnSequences ? output.Data : new float[steps * units * lanes];
            Gates = new float[steps * gateRows * lanes];
            // Gate gradients overwrite the gate activations: step t's backward reads Gates[t] before
            // it writes Dzx[t], and nothing reads Gates[t] afterwards. One [T][G][P] buffer instead
            // of two keeps a layer's working set about a third smaller (two LSTM(20) layers no longer
            // exceed L2), and the gradient writes hit lines the step has just read.
            Dzx = Gates;
            Dzh = hiddenGrad ?? Dzx;
            Xm = new float[steps * inputs * lanes];
            Hm = new float[steps * units * lanes];
            InputMask = new float[inputs * lanes];
            RecurrentMask = new float[units * lanes];
            Carry = new float[units * lanes];
            Dh = new float[units * lanes];
            Tmp = new float[units * lanes];
        }

        public int Steps { get; }
        public int Lanes { get; }
        /// <summary>Hidden state of every step [T][H][P].</summary>
        public float[] Hs { get; }
        /// <summary>Gate pre-activations, then activations, per step [T][G][P].</summary>
        public float[] Gates { get; }
        /// <summary>Gradients of the input-side and hidden-side gate pre-activations [T][G][P] (Dzx is Gates' storage).</summary>
        public float[] Dzx { get; }
        public float[] Dzh { get; }
        public float[] Xm { get; }
        public float[] Hm { get; }
        public float[] InputMask { get; }
        public float[] RecurrentMask { get; }
        /// <summary>dL/dh_{t-1} carried backwards; a cell sets its direct part, the base adds Uᵀ·dz.</summary>
        public float[] Carry { get; }
        public float[] Dh { get; }
        public float[] Tmp { get; }
        public bool InputMasked { get; set; }
        public bool RecurrentMasked { get; set; }
    }

    public override (int Steps, int Features) OutputShape(int steps, int features) => (ReturnSequences ? steps : 1, Units);

    public override LayerState CreateState(int steps, int features, int lanes) =>
        CreateRecurrentState(new LaneTensor(ReturnSequences ? steps : 1, Units, lanes), steps, lanes);

    protected virtual RecurrentState CreateRecurrentState(LaneTensor output, int steps, int lanes) =>
        new(output, steps, Inputs, Units, GateRows, lanes, ReturnSequences);

    /// <summary>One step: Gates[t] holds W_ih·x_t + b; the cell adds the recurrent part and writes Hs[t].</summary>
    protected abstract void StepForward(RecurrentState s, int t);

    /// <summary>
    /// One step back: from s.Dh (dL/dh_t) write Dzx[t] (over the activations in Gates[t]), Dzh[t]
    /// and, when <see cref="StepWritesCarry"/>, the direct part of s.Carry.
    /// </summary>
    protected abstract void StepBackward(RecurrentState s, int t);

    /// <summary>
    /// Whether dL/dh_{t-1} has a direct part besides Uᵀ·dz (GRU: z ⊙ dh). When it has none the
    /// recurrent product writes s.Carry itself, with no clear, temporary and addition per step.
    /// </summary>
    protected virtual bool StepWritesCarry => false;

    protected virtual void BeginBackward(RecurrentState s) { }

    protected virtual void EndBackward(RecurrentState s) { }

    /// <summary>The (masked) h_{t-1} fed to the recurrent product at step t ≥ 1.</summary>
    protected (float[] Buffer, int Offset) PreviousHidden(RecurrentState s, int t) =>
        s.RecurrentMasked ? (s.Hm, t * Units * s.Lanes) : (s.Hs, (t - 1) * Units * s.Lanes);

    /// <summary>dest (+)= U·h̃_{t-1} for all gate rows; nothing at t = 0 (zero initial state).</summary>
    protected void RecurrentProduct(RecurrentState s, int t, float[] dest, int destOff)
    {
        if (t == 0) return;
        var (buf, off) = PreviousHidden(s, t);
        LaneKernels.Gemm(WeightHh.Value, 0, Units, 1, GateRows, Units, buf, off, dest, destOff, s.Lanes, true);
    }

    protected Span<float> Block(float[] buffer, int t, int rows, RecurrentState s, int rowOffset = 0, int rowCount = -1) =>
        buffer.AsSpan((t * rows + rowOffset) * s.Lanes, (rowCount < 0 ? rows - rowOffset : rowCount) * s.Lanes);

    public override void Forward(LayerState state, LaneTensor input, RunMode mode)
    {
        var s = (RecurrentState)state;
        var lanes = s.Lanes;
        var steps = input.Steps;
        s.InputMasked = mode.DropoutActive && Dropout > 0;
        s.RecurrentMasked = mode.DropoutActive && RecurrentDropout > 0;
        var x = input.Data;
        if (s.InputMasked)
        {
            DropoutLayer.FillMask(s.InputMask, Dropout, mode, lanes);
            for (var t = 0; t < steps; t++) TensorPrimitives.Multiply(input.Step(t), s.InputMask, s.Xm.AsSpan(t * Inputs * lanes, Inputs * lanes));
            x = s.Xm;
        }
        if (s.RecurrentMasked) DropoutLayer.FillMask(s.RecurrentMask, RecurrentDropout, mode, lanes);
        var g = GateRows * lanes;
        for (var t = 0; t < steps; t++)
        {
            LaneKernels.GemmBias(Bias.Value, 0, WeightIh.Value, 0, Inputs, 1, GateRows, Inputs, x, t * Inputs * lanes, s.Gates, t * g, lanes);
        }
        var h = Units * lanes;
        for (var t = 0; t < steps; t++)
        {
            StepForward(s, t);
            if (s.RecurrentMasked && t + 1 < steps)
                TensorPrimitives.Multiply(s.Hs.AsSpan(t * h, h), s.RecurrentMask, s.Hm.AsSpan((t + 1) * h, h));
        }
        if (!ReturnSequences) Array.Copy(s.Hs, (steps - 1) * h, s.Output.Data, 0, h);
    }

    /// <summary>
    /// Single-series buffers: the weights transposed with each gate's units padded to
    /// <see cref="Width"/> floats (the gate rows sit in the lanes), gate pre-activations per step
    /// [T][gates·Width] and hidden states [T][Width].
    /// </summary>
    protected class SeriesRecurrentState : SeriesState
    {
        public SeriesRecurrentState(int steps, int inputs, int units, int gateCount, bool returnSequences)
            : base(new SeriesTensor(returnSequences ? steps : 1, units))
        {
            Width = LaneMath.LanesFor(units);
            GateWidth = gateCount * Width;
            InputWeights = new float[inputs * GateWidth];
            HiddenWeights = new float[units * GateWidth];
            Bias = new float[GateWidth];
            Gates = new float[steps * GateWidth];
            Hs = returnSequences ? Output.Data : new float[steps * Width];
        }

        /// <summary>Floats per gate block and per hidden state: the units rounded up to whole vectors.</summary>
        public int Width { get; }
        public int GateWidth { get; }
        /// <summary>W_ihᵀ [inputs][GateWidth] and W_hhᵀ [units][GateWidth].</summary>
        public float[] InputWeights { get; }
        public float[] HiddenWeights { get; }
        public float[] Bias { get; }
        public float[] Gates { get; }
        public float[] Hs { get; }
    }

    public override SeriesState CreateSeriesState(int steps, int features) => CreateSeriesRecurrentState(steps);

    protected virtual SeriesRecurrentState CreateSeriesRecurrentState(int steps) =>
        new(steps, Inputs, Units, GateRows / Units, ReturnSequences);

    /// <summary>One single-series step: Gates[t] holds W_ih·x_t + b; the cell adds the recurrent part and writes Hs[t].</summary>
    protected abstract void StepForward(SeriesRecurrentState s, int t);

    /// <summary>dest (+)= U·h_{t-1} as a vector–matrix product over W_hhᵀ; nothing at t = 0.</summary>
    protected void RecurrentProduct(SeriesRecurrentState s, int t, float[] dest, int destOff)
    {
        if (t == 0) return;
        LaneKernels.Gemm(s.Hs, (t - 1) * s.Width, 0, 1, 1, Units, s.HiddenWeights, 0, dest, destOff, s.GateWidth, true);
    }

    public override void ForwardSeries(SeriesState state, SeriesTensor input)
    {
        var s = (SeriesRecurrentState)state;
        var steps = input.Steps;
        LaneKernels.TransposeIntoLanes(WeightIh.Value, 0, Inputs, 1, GateRows, Inputs, Units, s.InputWeights, 0, s.Width);
        LaneKernels.TransposeIntoLanes(WeightHh.Value, 0, Units, 1, GateRows, Units, Units, s.HiddenWeights, 0, s.Width);
        LaneKernels.TransposeIntoLanes(Bias.Value, 0, 1, 1, GateRows, 1, Units, s.Bias, 0, s.Width);
        for (var t = 0; t < steps; t++) s.Bias.CopyTo(s.Gates, t * s.GateWidth);
        // The input projection of all steps in one product: steps are the rows, gate rows the lanes.
        LaneKernels.Gemm(input.Data, 0, input.Stride, 1, steps, Inputs, s.InputWeights, 0, s.Gates, 0, s.GateWidth, true);
        for (var t = 0; t < steps; t++) StepForward(s, t);
        if (!ReturnSequences) Array.Copy(s.Hs, (steps - 1) * s.Width, s.Output.Data, 0, s.Width);
    }

    public override void Backward(LayerState state, LaneTensor input, LaneTensor gradOutput, LaneTensor? gradInput, RunMode mode)
    {
        var s = (RecurrentState)state;
        var lanes = s.Lanes;
        var steps = input.Steps;
        var h = Units * lanes;
        var g = GateRows * lanes;
        Array.Clear(s.Carry);
        BeginBackward(s);
        for (var t = steps - 1; t >= 0; t--)
        {
            if (ReturnSequences) TensorPrimitives.Add(gradOutput.Step(t), s.Carry, s.Dh);
            else if (t == steps - 1) TensorPrimitives.Add(gradOutput.Step(0), s.Carry, s.Dh);
            else s.Carry.CopyTo(s.Dh, 0);
            StepBackward(s, t);
            if (t == 0) continue;
            if (!StepWritesCarry && !s.RecurrentMasked)
            {
                LaneKernels.Gemm(WeightHh.Value, 0, 1, Units, Units, GateRows, s.Dzh, t * g, s.Carry, 0, lanes, false);
                continue;
            }
            LaneKernels.Gemm(WeightHh.Value, 0, 1, Units, Units, GateRows, s.Dzh, t * g, s.Tmp, 0, lanes, false);
            if (!StepWritesCarry) TensorPrimitives.Multiply(s.Tmp, s.RecurrentMask, s.Carry);
            else
            {
                if (s.RecurrentMasked) TensorPrimitives.Multiply(s.Tmp, s.RecurrentMask, s.Tmp);
                TensorPrimitives.Add(s.Carry, s.Tmp, s.Carry);
            }
        }
        var x = s.InputMasked ? s.Xm : input.Data;
        LaneKernels.AccumulateOuter(s.Dzx, 0, g, GateRows, x, 0, Inputs * lanes, Inputs, steps, lanes, WeightIh.Grad, 0, Inputs, 1);
        if (steps > 1)
        {
            var (buf, off) = PreviousHidden(s, 1);
            LaneKernels.AccumulateOuter(s.Dzh, g, g, GateRows, buf, off, h, Units, steps - 1, lanes, WeightHh.Grad, 0, Units, 1);
        }
        LaneKernels.AccumulateRowSums(s.Dzx, 0, g, GateRows, steps, lanes, Bias.Grad);
        EndBackward(s);
        if (gradInput is null) return;
        for (var t = 0; t < steps; t++)
        {
            LaneKernels.Gemm(WeightIh.Value, 0, 1, Inputs, Inputs, GateRows, s.Dzx, t * g, gradInput.Data, gradInput.Offset(t), lanes, false);
            if (s.InputMasked) TensorPrimitives.Multiply(gradInput.Step(t), s.InputMask, gradInput.Step(t));
        }
    }
}
