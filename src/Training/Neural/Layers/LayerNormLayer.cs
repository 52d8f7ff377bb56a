using Forecasting.Training.Neural.Core;

namespace Forecasting.Training.Neural.Layers;

/// <summary>
/// Keras LayerNormalization over the last axis (epsilon 1e-3, γ = 1, β = 0), applied at every
/// time step. Parameters: <c>gamma</c> [features], <c>beta</c> [features].
/// </summary>
public sealed class LayerNormLayer : Layer
{
    private readonly Parameter _gamma;
    private readonly Parameter _beta;

    public LayerNormLayer(string name, int features, float epsilon = 1e-3f) : base(name)
    {
        Features = features;
        Epsilon = epsilon;
        _gamma = AddParameter("gamma", [features]);
        _beta = AddParameter("beta", [features]);
        Array.Fill(_gamma.Value, 1f);
    }

    public int Features { get; }
    public float Epsilon { get; }

    private sealed class State(LaneTensor output, float[] xhat, float[] inv) : LayerState(output)
    {
        public float[] XHat { get; } = xhat;
        public float[] InvStd { get; } = inv;
    }

    public override (int Steps, int Features) OutputShape(int steps, int features) => (steps, features);

    public override LayerState CreateState(int steps, int features, int lanes) =>
        new State(new LaneTensor(steps, features, lanes), new float[steps * features * lanes], new float[steps * lanes]);

    public override void Forward(LayerState state, LaneTensor input, RunMode mode)
    {
        var s = (State)state;
        var lanes = input.Lanes;
        for (var t = 0; t < input.Steps; t++)
            LayerNormKernel.Forward(input.Data, input.Offset(t), Features, lanes, _gamma.Value, _beta.Value, Epsilon,
                s.XHat, input.Offset(t), s.InvStd, t * lanes, s.Output.Data, input.Offset(t));
    }

    public override SeriesState CreateSeriesState(int steps, int features) => new(new SeriesTensor(steps, features));

    public override void ForwardSeries(SeriesState state, SeriesTensor input)
    {
        for (var t = 0; t < input.Steps; t++)
            LayerNormKernel.Forward(input.Step(t), _gamma.Value, _beta.Value, Epsilon, state.Output.Step(t));
    }

    public override void Backward(LayerState state, LaneTensor input, LaneTensor gradOutput, LaneTensor? gradInput, RunMode mode)
    {
        var s = (State)state;
        var lanes = input.Lanes;
        // Without an input gradient the parameter gradients still need the pass; write into a throwaway.
        var dx = gradInput?.Data ?? s.Output.Data;
        for (var t = 0; t < input.Steps; t++)
            LayerNormKernel.Backward(gradOutput.Data, input.Offset(t), s.XHat, input.Offset(t), s.InvStd, t * lanes, _gamma.Value,
                Features, lanes, dx, input.Offset(t), _gamma.Grad, _beta.Grad);
    }
}
