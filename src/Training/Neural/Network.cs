using Forecasting.Training.Neural.Core;
using Forecasting.Training.Neural.Layers;

namespace Forecasting.Training.Neural;

/// <summary>Buffers for one (steps, lanes) shape: the input, every layer's state, and the
/// gradient tensors between layers. Created once per shape and reused.</summary>
public sealed class Workspace
{
    internal Workspace(Network network, int steps, int lanes)
    {
        Steps = steps;
        Lanes = lanes;
        Input = new LaneTensor(steps, network.InputFeatures, lanes);
        States = new LayerState[network.Layers.Count];
        GradInputs = new LaneTensor?[network.Layers.Count];
        var (t, f) = (steps, network.InputFeatures);
        for (var i = 0; i < network.Layers.Count; i++)
        {
            if (i > 0) GradInputs[i] = new LaneTensor(t, f, lanes);
            States[i] = network.Layers[i].CreateState(t, f, lanes);
            (t, f) = network.Layers[i].OutputShape(t, f);
        }
        Output = network.Layers.Count > 0 ? States[^1].Output : Input;
        Target = new LaneTensor(Output.Steps, Output.Features, lanes);
        OutputGrad = new LaneTensor(Output.Steps, Output.Features, lanes);
    }

    public int Steps { get; }
    public int Lanes { get; }
    public LaneTensor Input { get; }
    public LaneTensor Output { get; }
    public LaneTensor Target { get; }
    public LaneTensor OutputGrad { get; }
    internal LayerState[] States { get; }
    internal LaneTensor?[] GradInputs { get; }
}

/// <summary>
/// A sequential model: layers applied in order to a batch of sequences. Built from a
/// <see cref="NetworkSpec"/>; weights are named parameters (see docs/engine.md).
/// Forward/Backward run on a <see cref="Workspace"/>; Predict* are the service entry points.
/// A network is not meant to be trained and used from several threads at once; the predict
/// paths lock their workspace.
/// </summary>
public sealed class Network
{
    private readonly Dictionary<(int Steps, int Lanes), Workspace> _workspaces = [];

    /// <summary>Series per chunk on the batched predict path (whole vectors, cache-sized).</summary>
    public const int PredictChunk = 32;

    public Network(int inputFeatures, IReadOnlyList<Layer> layers, NetworkSpec? spec = null)
    {
        InputFeatures = inputFeatures;
        Layers = layers;
        Spec = spec;
        Parameters = layers.SelectMany(l => l.Parameters).ToArray();
        var names = new HashSet<string>();
        foreach (var p in Parameters)
            if (!names.Add(p.Name)) throw new ArgumentException($"duplicate parameter name {p.Name}");
        TrainableParameters = Parameters.Where(p => p.Trainable).ToArray();
    }

    public NetworkSpec? Spec { get; }
    public int InputFeatures { get; }
    public IReadOnlyList<Layer> Layers { get; }
    public IReadOnlyList<Parameter> Parameters { get; }
    public IReadOnlyList<Parameter> TrainableParameters { get; }

    /// <summary>All weights, trainable or not (Keras "total params").</summary>
    public int ParameterCount => Parameters.Sum(p => p.Length);

    /// <summary>Keep dropout active on the ordinary predict paths (MC dropout at inference).</summary>
    public bool KeepDropoutAtInference { get; set; }

    public Parameter GetParameter(string name) =>
        Parameters.FirstOrDefault(p => p.Name == name) ?? throw new KeyNotFoundException($"no parameter '{name}'");

    public (int Steps, int Features) OutputShape(int steps)
    {
        var (t, f) = (steps, InputFeatures);
        foreach (var layer in Layers) (t, f) = layer.OutputShape(t, f);
        return (t, f);
    }

    public Workspace GetWorkspace(int steps, int lanes)
    {
        lock (_workspaces)
        {
            if (!_workspaces.TryGetValue((steps, lanes), out var ws))
                _workspaces[(steps, lanes)] = ws = new Workspace(this, steps, lanes);
            return ws;
        }
    }

    /// <summary>Runs every layer on ws.Input; returns ws.Output.</summary>
    public LaneTensor Forward(Workspace ws, RunMode mode)
    {
        var x = ws.Input;
        for (var i = 0; i < Layers.Count; i++)
        {
            Layers[i].Forward(ws.States[i], x, mode);
            x = ws.States[i].Output;
        }
        return x;
    }

    /// <summary>Back-propagates dL/dOutput through every layer, accumulating parameter gradients.</summary>
    public void Backward(Workspace ws, LaneTensor gradOutput, RunMode mode)
    {
        var g = gradOutput;
        for (var i = Layers.Count - 1; i >= 0; i--)
        {
            var input = i == 0 ? ws.Input : ws.States[i - 1].Output;
            Layers[i].Backward(ws.States[i], input, g, ws.GradInputs[i], mode);
            g = ws.GradInputs[i]!;
        }
    }

    public void ZeroGrad()
    {
        foreach (var p in Parameters) Array.Clear(p.Grad);
    }

    /// <summary>Copies samples order[start..start+batch) into the lane layout (inputs and, when present, targets); zeroes padding lanes.</summary>
    public static void Gather(SequenceData data, ReadOnlySpan<int> order, Workspace ws, bool targets)
    {
        var x = ws.Input;
        var (steps, features, lanes) = (x.Steps, x.Features, x.Lanes);
        var batch = order.Length;
        if (batch < lanes) x.Clear();
        Span<int> start = batch <= 1024 ? stackalloc int[batch] : new int[batch];
        for (var b = 0; b < batch; b++) start[b] = order[b] * steps * features;
        GatherRows(data.Inputs, start, steps * features, x.Data, lanes);
        if (!targets) return;
        var y = ws.Target;
        if (data.Targets is null || data.TargetSteps != y.Steps || data.TargetFeatures != y.Features)
            throw new ArgumentException($"targets are [{data.TargetSteps}, {data.TargetFeatures}] per sample but the model outputs [{y.Steps}, {y.Features}]");
        if (batch < lanes) y.Clear();
        var per = y.Steps * y.Features;
        for (var b = 0; b < batch; b++) start[b] = order[b] * per;
        GatherRows(data.Targets, start, per, y.Data, lanes);
    }

    /// <summary>
    /// dst[r·lanes + b] = src[start[b] + r]: row by row, so the writes are contiguous and the reads
    /// are one sequential stream per sample (sample by sample, every write went to another cache
    /// line of a buffer larger than L1 — a few per cent of a seq2seq epoch).
    /// </summary>
    private static void GatherRows(float[] src, ReadOnlySpan<int> start, int per, float[] dst, int lanes)
    {
        for (var r = 0; r < per; r++)
        {
            var row = dst.AsSpan(r * lanes, start.Length);
            for (var b = 0; b < row.Length; b++) row[b] = src[start[b] + r];
        }
    }

    /// <summary>Copies the first <paramref name="batch"/> lanes of a lane tensor to sample-major rows starting at <paramref name="firstSample"/>.</summary>
    public static void Scatter(LaneTensor output, int batch, Span<float> destination, int firstSample)
    {
        var per = output.Steps * output.Features;
        for (var b = 0; b < batch; b++)
        {
            var dst = (firstSample + b) * per;
            for (var r = 0; r < per; r++) destination[dst + r] = output.Data[r * output.Lanes + b];
        }
    }

    /// <summary>Batched inference: returns [count][outSteps][outFeatures].</summary>
    public float[] Predict(SequenceData inputs) => Predict(inputs, new RunMode(false, KeepDropoutAtInference, _inferenceRng, 0));

    /// <summary>Dropout masks when <see cref="KeepDropoutAtInference"/> is on: successive calls draw new masks.</summary>
    private readonly Random _inferenceRng = new(0);

    private float[] Predict(SequenceData inputs, RunMode mode)
    {
        if (inputs.Features != InputFeatures) throw new ArgumentException($"model expects {InputFeatures} features, got {inputs.Features}");
        var (outSteps, outFeatures) = OutputShape(inputs.Steps);
        var result = new float[inputs.Count * outSteps * outFeatures];
        var ws = GetWorkspace(inputs.Steps, PredictChunk);
        Span<int> order = stackalloc int[PredictChunk];
        lock (ws)
        {
            for (var start = 0; start < inputs.Count; start += PredictChunk)
            {
                var batch = Math.Min(PredictChunk, inputs.Count - start);
                for (var b = 0; b < batch; b++) order[b] = start + b;
                Gather(inputs, order[..batch], ws, targets: false);
                mode.Batch = batch;
                var y = Forward(ws, mode);
                Scatter(y, batch, result, start);
            }
        }
        return result;
    }

    private RunMode? _singleMode;

    /// <summary>
    /// One series [steps][features] → output [outSteps][outFeatures]; allocates nothing after the first call.
    /// Runs on the single-series path (matrix–vector products) when every layer has one and dropout
    /// is off at inference; otherwise on the lane path with the series in one lane.
    /// </summary>
    public void Predict(ReadOnlySpan<float> series, Span<float> output)
    {
        if (series.Length % InputFeatures != 0) throw new ArgumentException("series length is not a multiple of the input features");
        var steps = series.Length / InputFeatures;
        if (!KeepDropoutAtInference && GetSeriesWorkspace(steps) is { } sws)
        {
            PredictSeries(sws, series, output);
            return;
        }
        var ws = GetWorkspace(steps, LaneMath.Width);
        lock (ws)
        {
            if (output.Length != ws.Output.Steps * ws.Output.Features)
                throw new ArgumentException($"output needs {ws.Output.Steps * ws.Output.Features} floats");
            var x = ws.Input;
            for (var i = 0; i < series.Length; i++) x.Data[i * x.Lanes] = series[i];
            _singleMode ??= new RunMode(false, false, _inferenceRng, 1);
            _singleMode.DropoutActive = KeepDropoutAtInference;
            var y = Forward(ws, _singleMode);
            for (var r = 0; r < output.Length; r++) output[r] = y.Data[r * y.Lanes];
        }
    }

    /// <summary>Buffers of the single-series path for one input length.</summary>
    private sealed class SeriesWorkspace(SeriesTensor input, SeriesState[] states)
    {
        public SeriesTensor Input { get; } = input;
        public SeriesState[] States { get; } = states;
        public SeriesTensor Output => States.Length > 0 ? States[^1].Output : Input;
    }

    /// <summary>Per input length; null when some layer has no single-series path.</summary>
    private readonly Dictionary<int, SeriesWorkspace?> _seriesWorkspaces = [];

    private SeriesWorkspace? GetSeriesWorkspace(int steps)
    {
        lock (_seriesWorkspaces)
        {
            if (_seriesWorkspaces.TryGetValue(steps, out var ws)) return ws;
            var states = new SeriesState[Layers.Count];
            var (t, f) = (steps, InputFeatures);
            for (var i = 0; i < Layers.Count; i++)
            {
                if (Layers[i].CreateSeriesState(t, f) is not { } state) return _seriesWorkspaces[steps] = null;
                states[i] = state;
                (t, f) = Layers[i].OutputShape(t, f);
            }
            return _seriesWorkspaces[steps] = new SeriesWorkspace(new SeriesTensor(steps, InputFeatures), states);
        }
    }

    /// <summary>Whether one series of this length is predicted on the single-series path (dropout off).</summary>
    internal bool HasSeriesPath(int steps) => GetSeriesWorkspace(steps) is not null;

    private void PredictSeries(SeriesWorkspace ws, ReadOnlySpan<float> series, Span<float> output)
    {
        lock (ws)
        {
            var y = ws.Output;
            if (output.Length != y.Steps * y.Features) throw new ArgumentException($"output needs {y.Steps * y.Features} floats");
            var x = ws.Input;
            // Element loops: a slice copy per step costs more than the few floats it moves.
            for (var t = 0; t < x.Steps; t++)
                for (var f = 0; f < x.Features; f++) x.Data[x.Offset(t) + f] = series[t * x.Features + f];
            for (var i = 0; i < Layers.Count; i++)
            {
                Layers[i].ForwardSeries(ws.States[i], x);
                x = ws.States[i].Output;
            }
            for (var t = 0; t < y.Steps; t++)
                for (var f = 0; f < y.Features; f++) output[t * y.Features + f] = y.Data[y.Offset(t) + f];
        }
    }

    /// <summary>MC dropout: <paramref name="samples"/> stochastic passes with dropout active (batch norm in inference mode), seeded.</summary>
    public float[][] PredictSamples(SequenceData inputs, int samples, int seed)
    {
        var mode = new RunMode(false, true, new Random(seed), 0);
        var result = new float[samples][];
        for (var s = 0; s < samples; s++) result[s] = Predict(inputs, mode);
        return result;
    }

    /// <summary>Copies every parameter's values into <paramref name="snapshot"/> (allocated when null).</summary>
    public float[][] CopyWeights(float[][]? snapshot = null)
    {
        snapshot ??= Parameters.Select(p => new float[p.Length]).ToArray();
        for (var i = 0; i < Parameters.Count; i++) Parameters[i].Value.CopyTo(snapshot[i], 0);
        return snapshot;
    }

    public void RestoreWeights(float[][] snapshot)
    {
        for (var i = 0; i < Parameters.Count; i++) snapshot[i].CopyTo(Parameters[i].Value, 0);
    }
}
