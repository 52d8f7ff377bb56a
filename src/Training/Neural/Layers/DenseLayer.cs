using Forecasting.Training.Neural.Core;

namespace Forecasting.Training.Neural.Layers;

/// <summary>
/// Keras Dense. Given a sequence it is applied to every time step (TimeDistributed), which is
/// also what Keras 2+ does for a 3-D input. Parameters: <c>weight</c> [units, in], <c>bias</c> [units].
/// </summary>
public sealed class DenseLayer : Layer
{
    private readonly Parameter _weight;
    private readonly Parameter _bias;

    public DenseLayer(string name, int inputs, int units, ActivationKind activation, Random rng) : base(name)
    {
        Inputs = inputs;
        Units = units;
        Activation = activation;
        _weight = AddParameter("weight", [units, inputs]);
        _bias = AddParameter("bias", [units]);
        Initializers.GlorotUniform(_weight.Value, inputs, units, rng);
    }

    public int Inputs { get; }
    public int Units { get; }
    public ActivationKind Activation { get; }

    public override (int Steps, int Features) OutputShape(int steps, int features) => (steps, Units);

    private sealed class State(LaneTensor output, float[] dz) : LayerState(output)
    {
        public float[] Dz { get; } = dz;
    }

    public override LayerState CreateState(int steps, int features, int lanes) =>
        new State(new LaneTensor(steps, Units, lanes), new float[steps * Units * lanes]);

    public override void Forward(LayerState state, LaneTensor input, RunMode mode)
    {
        var y = state.Output;
        for (var t = 0; t < input.Steps; t++)
        {
            LaneKernels.FillRows(_bias.Value, 0, Units, y.Data, y.Offset(t), y.Lanes);
            LaneKernels.Gemm(_weight.Value, 0, Inputs, 1, Units, Inputs, input.Data, input.Offset(t), y.Data, y.Offset(t), y.Lanes, true);
        }
        Activations.Apply(Activation, y.Data);
    }

    /// <summary>Single-series buffers: Wᵀ [inputs][units padded to whole vectors].</summary>
    private sealed class SeriesDenseState(SeriesTensor output, int inputs) : SeriesState(output)
    {
        public float[] Weights { get; } = new float[inputs * output.Stride];
    }

    public override SeriesState CreateSeriesState(int steps, int features) => new SeriesDenseState(new SeriesTensor(steps, Units), Inputs);

    public override void ForwardSeries(SeriesState state, SeriesTensor input)
    {
        var s = (SeriesDenseState)state;
        var y = s.Output;
        LaneKernels.TransposeIntoLanes(_weight.Value, 0, Inputs, 1, Units, Inputs, Units, s.Weights, 0, y.Stride);
        for (var t = 0; t < input.Steps; t++) _bias.Value.CopyTo(y.Step(t));
        // Every step in one product: steps are the rows, the units the lanes.
        LaneKernels.Gemm(input.Data, 0, input.Stride, 1, input.Steps, Inputs, s.Weights, 0, y.Data, 0, y.Stride, true);
        Activations.Apply(Activation, y.Data);
    }

    public override void Backward(LayerState state, LaneTensor input, LaneTensor gradOutput, LaneTensor? gradInput, RunMode mode)
    {
        var s = (State)state;
        var y = s.Output;
        var lanes = y.Lanes;
        Activations.BackwardFromOutput(Activation, y.Data, gradOutput.Data, s.Dz);
        LaneKernels.AccumulateOuter(s.Dz, 0, Units * lanes, Units, input.Data, 0, Inputs * lanes, Inputs, input.Steps, lanes,
            _weight.Grad, 0, Inputs, 1);
        LaneKernels.AccumulateRowSums(s.Dz, 0, Units * lanes, Units, input.Steps, lanes, _bias.Grad);
        if (gradInput is null) return;
        for (var t = 0; t < input.Steps; t++)
            LaneKernels.Gemm(_weight.Value, 0, 1, Inputs, Inputs, Units, s.Dz, t * Units * lanes, gradInput.Data, gradInput.Offset(t), lanes, false);
    }
}
