using Forecasting.Training.Neural.Core;

namespace Forecasting.Training.Neural.Layers;

/// <summary>How a forward pass runs: training (batch statistics, dropout) or inference, and
/// whether dropout stays active anyway (MC dropout).</summary>
public sealed class RunMode
{
    public RunMode(bool training, bool dropoutActive, Random rng, int batch)
    {
        Training = training;
        DropoutActive = dropoutActive;
        Rng = rng;
        Batch = batch;
    }

    public bool Training { get; set; }
    public bool DropoutActive { get; set; }
    public Random Rng { get; set; }

    /// <summary>Real samples in the lanes; lanes beyond are padding and must not affect statistics.</summary>
    public int Batch { get; set; }

    /// <summary>
    /// Data-parallel training: the whole batch's per-block dropout streams (<see cref="LaneBlockRandom"/>) and the
    /// block of this slice's lane 0; null on the single-threaded path, which draws masks from <see cref="Rng"/>.
    /// </summary>
    internal ulong[]? LaneBlockStates { get; set; }

    internal int FirstLaneBlock { get; set; }
}

/// <summary>Per-(steps, lanes) buffers of a layer; created once and reused for every batch.</summary>
public class LayerState
{
    public LayerState(LaneTensor output) => Output = output;

    public LaneTensor Output { get; }
}

/// <summary>Buffers of a layer on the single-series path for one input length; created once and reused.</summary>
public class SeriesState
{
    public SeriesState(SeriesTensor output) => Output = output;

    public SeriesTensor Output { get; }
}

/// <summary>
/// A layer with explicit Forward/Backward over lane tensors. Layers never see each other:
/// the network hands each one its input, its own state and the gradient of its output.
/// Backward accumulates into <see cref="Parameter.Grad"/> and overwrites <c>gradInput</c>.
/// </summary>
public abstract class Layer
{
    protected Layer(string name) => Name = name;

    /// <summary>Prefix of this layer's parameter names, e.g. <c>lstm.0</c>.</summary>
    public string Name { get; }

    public List<Parameter> Parameters { get; } = [];

    protected Parameter AddParameter(string suffix, int[] shape, bool trainable = true)
    {
        var p = new Parameter($"{Name}.{suffix}", shape, trainable);
        Parameters.Add(p);
        return p;
    }

    public abstract (int Steps, int Features) OutputShape(int steps, int features);

    public abstract LayerState CreateState(int steps, int features, int lanes);

    public abstract void Forward(LayerState state, LaneTensor input, RunMode mode);

    /// <param name="gradInput">null when nobody needs the input gradient (first layer).</param>
    public abstract void Backward(LayerState state, LaneTensor input, LaneTensor gradOutput, LaneTensor? gradInput, RunMode mode);

    /// <summary>
    /// Buffers for inference on one series with matrix–vector products (the single-series path),
    /// or null when this layer has none: the network then predicts single series on the lane path.
    /// </summary>
    public virtual SeriesState? CreateSeriesState(int steps, int features) => null;

    /// <summary>
    /// Inference on one series (dropout off, batch norm on its moving statistics) into
    /// state.Output. Weights are re-laid out from their current values on every call, so
    /// training or loading in between needs no invalidation.
    /// </summary>
    public virtual void ForwardSeries(SeriesState state, SeriesTensor input) =>
        throw new NotSupportedException($"{GetType().Name} has no single-series path");
}
