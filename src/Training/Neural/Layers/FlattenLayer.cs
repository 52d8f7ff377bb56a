using Forecasting.Training.Neural.Core;

namespace Forecasting.Training.Neural.Layers;

/// <summary>
/// Keras Flatten: (steps, features) → (1, steps·features) with index t·features + f.
/// In the lane layout that is the same memory, so forward and backward are plain copies.
/// </summary>
public sealed class FlattenLayer(string name) : Layer(name)
{
    public override (int Steps, int Features) OutputShape(int steps, int features) => (1, steps * features);

    public override LayerState CreateState(int steps, int features, int lanes) => new(new LaneTensor(1, steps * features, lanes));

    public override void Forward(LayerState state, LaneTensor input, RunMode mode) => input.Data.AsSpan().CopyTo(state.Output.Data);

    public override SeriesState CreateSeriesState(int steps, int features) => new(new SeriesTensor(1, steps * features));

    /// <summary>Drops the per-step padding: step t's features go to t·features.</summary>
    public override void ForwardSeries(SeriesState state, SeriesTensor input)
    {
        var y = state.Output.Data;
        var features = input.Features;
        for (var t = 0; t < input.Steps; t++)
            for (var f = 0; f < features; f++) y[t * features + f] = input.Data[input.Offset(t) + f];
    }

    public override void Backward(LayerState state, LaneTensor input, LaneTensor gradOutput, LaneTensor? gradInput, RunMode mode)
    {
        if (gradInput is not null) gradOutput.Data.AsSpan().CopyTo(gradInput.Data);
    }
}
