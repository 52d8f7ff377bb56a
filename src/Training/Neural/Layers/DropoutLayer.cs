using Forecasting.Training.Neural.Core;
using System.Numerics.Tensors;

namespace Forecasting.Training.Neural.Layers;

/// <summary>
/// Keras Dropout (inverted: kept units scaled by 1/(1-rate), each element independently).
/// Active in training, or at inference when the run asks for MC dropout.
/// </summary>
public sealed class DropoutLayer(string name, float rate) : Layer(name)
{
    public float Rate { get; } = rate;

    private sealed class State(LaneTensor output, float[] mask) : LayerState(output)
    {
        public float[] Mask { get; } = mask;
        public bool Active { get; set; }
    }

    public override (int Steps, int Features) OutputShape(int steps, int features) => (steps, features);

    public override LayerState CreateState(int steps, int features, int lanes) =>
        new State(new LaneTensor(steps, features, lanes), new float[steps * features * lanes]);

    public override void Forward(LayerState state, LaneTensor input, RunMode mode)
    {
        var s = (State)state;
        s.Active = mode.DropoutActive && Rate > 0;
        if (!s.Active)
        {
            input.Data.CopyTo(s.Output.Data, 0);
            return;
        }
        FillMask(s.Mask, Rate, mode, s.Output.Lanes);
        TensorPrimitives.Multiply(input.Data, s.Mask, s.Output.Data);
    }

    public override SeriesState CreateSeriesState(int steps, int features) => new(new SeriesTensor(steps, features));

    /// <summary>The single-series path runs only with dropout off: a copy.</summary>
    public override void ForwardSeries(SeriesState state, SeriesTensor input) => input.Data.CopyTo(state.Output.Data, 0);

    public override void Backward(LayerState state, LaneTensor input, LaneTensor gradOutput, LaneTensor? gradInput, RunMode mode)
    {
        if (gradInput is null) return;
        var s = (State)state;
        if (s.Active) TensorPrimitives.Multiply(gradOutput.Data, s.Mask, gradInput.Data);
        else gradOutput.Data.CopyTo(gradInput.Data, 0);
    }

    /// <summary>
    /// A mask over <paramref name="lanes"/> lanes: from the run's generator, or in data-parallel training from each
    /// lane block's own stream (row by row within a block), so a block's mask does not depend on the slicing.
    /// </summary>
    internal static void FillMask(float[] mask, float rate, RunMode mode, int lanes)
    {
        if (mode.LaneBlockStates is not { } states)
        {
            FillMask(mask, rate, mode.Rng);
            return;
        }
        var keep = 1f / (1f - rate);
        var width = LaneMath.Width;
        var rows = mask.Length / lanes;
        for (var j = 0; j < lanes / width; j++)
        {
            var state = states[mode.FirstLaneBlock + j];
            for (var r = 0; r < rows; r++)
            {
                var o = r * lanes + j * width;
                for (var l = 0; l < width; l++) mask[o + l] = LaneBlockRandom.NextSingle(ref state) >= rate ? keep : 0f;
            }
            states[mode.FirstLaneBlock + j] = state;
        }
    }

    /// <summary>Bernoulli(1-rate) mask already scaled by 1/(1-rate).</summary>
    internal static void FillMask(Span<float> mask, float rate, Random rng)
    {
        var keep = 1f / (1f - rate);
        for (var i = 0; i < mask.Length; i++) mask[i] = rng.NextSingle() >= rate ? keep : 0f;
    }
}
