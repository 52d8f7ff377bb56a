using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Forecasting.Training.Neural.Core;

namespace Forecasting.Training.Neural.Layers;

/// <summary>
/// The chapter's WaveNet body: a causal Conv1D(filters, kernel) on the input, then one residual
/// block per dilation — causal dilated Conv1D(2·filters) → gated activation unit
/// tanh(a) ⊙ σ(b) → Conv1D(filters, 1) = s, with x ← x + s and s collected as a skip
/// connection — then ReLU(Σ skips) → Conv1D(filters, 1, relu). Add an output layer after it
/// (e.g. Conv1D(10, 1)). (The notebook's GatedActivationUnit applies tanh twice by mistake;
/// this is the paper's tanh ⊙ σ.) Parameter names: <c>{name}.input.*</c>,
/// <c>{name}.block{j}.dilated.*</c>, <c>{name}.block{j}.residual.*</c>, <c>{name}.head.*</c>.
/// </summary>
public sealed class WaveNetLayer : Layer
{
    private readonly Conv1DLayer _input;
    private readonly Conv1DLayer[] _dilated;
    private readonly Conv1DLayer[] _residual;
    private readonly Conv1DLayer _head;

    public WaveNetLayer(string name, int inputs, int filters, int[] dilations, int kernelSize, Random rng) : base(name)
    {
        Filters = filters;
        Dilations = dilations;
        _input = new Conv1DLayer($"{name}.input", inputs, filters, kernelSize, 1, 1, ConvPadding.Causal, ActivationKind.Linear, rng);
        _dilated = new Conv1DLayer[dilations.Length];
        _residual = new Conv1DLayer[dilations.Length];
        for (var j = 0; j < dilations.Length; j++)
        {
            _dilated[j] = new Conv1DLayer($"{name}.block{j}.dilated", filters, 2 * filters, kernelSize, 1, dilations[j], ConvPadding.Causal, ActivationKind.Linear, rng);
            _residual[j] = new Conv1DLayer($"{name}.block{j}.residual", filters, filters, 1, 1, 1, ConvPadding.Valid, ActivationKind.Linear, rng);
        }
        _head = new Conv1DLayer($"{name}.head", filters, filters, 1, 1, 1, ConvPadding.Valid, ActivationKind.Relu, rng);
        Parameters.AddRange(_input.Parameters);
        for (var j = 0; j < dilations.Length; j++)
        {
            Parameters.AddRange(_dilated[j].Parameters);
            Parameters.AddRange(_residual[j].Parameters);
        }
        Parameters.AddRange(_head.Parameters);
    }

    public int Filters { get; }
    public int[] Dilations { get; }

    public override (int Steps, int Features) OutputShape(int steps, int features) => (steps, Filters);

    private sealed class State : LayerState
    {
        public State(LayerState input, LayerState[] dilated, LayerState[] residual, LayerState head, int steps, int filters, int lanes) : base(head.Output)
        {
            Input = input;
            Dilated = dilated;
            Residual = residual;
            Head = head;
            LaneTensor New() => new(steps, filters, lanes);
            Stream = dilated.Select(_ => New()).ToArray();
            Gated = dilated.Select(_ => New()).ToArray();
            TanhPart = dilated.Select(_ => New()).ToArray();
            SigmoidPart = dilated.Select(_ => New()).ToArray();
            Skip = New();
            Relu = New();
            GradRelu = New();
            GradSkip = New();
            GradStream = New();
            GradSum = New();
            GradGated = New();
            GradBlockInput = New();
            GradZ = new LaneTensor(steps, 2 * filters, lanes);
        }

        public LayerState Input { get; }
        public LayerState[] Dilated { get; }
        public LayerState[] Residual { get; }
        public LayerState Head { get; }
        /// <summary>x_{j+1} = x_j + s_j after each block.</summary>
        public LaneTensor[] Stream { get; }
        public LaneTensor[] Gated { get; }
        public LaneTensor[] TanhPart { get; }
        public LaneTensor[] SigmoidPart { get; }
        public LaneTensor Skip { get; }
        public LaneTensor Relu { get; }
        public LaneTensor GradRelu { get; }
        public LaneTensor GradSkip { get; }
        public LaneTensor GradStream { get; }
        public LaneTensor GradSum { get; }
        public LaneTensor GradGated { get; }
        public LaneTensor GradBlockInput { get; }
        public LaneTensor GradZ { get; }
    }

    public override LayerState CreateState(int steps, int features, int lanes) => new State(
        _input.CreateState(steps, features, lanes),
        _dilated.Select(c => c.CreateState(steps, Filters, lanes)).ToArray(),
        _residual.Select(c => c.CreateState(steps, Filters, lanes)).ToArray(),
        _head.CreateState(steps, Filters, lanes), steps, Filters, lanes);

    private LaneTensor BlockInput(State s, int j) => j == 0 ? s.Input.Output : s.Stream[j - 1];

    public override void Forward(LayerState state, LaneTensor input, RunMode mode)
    {
        var s = (State)state;
        var n = Filters * input.Lanes;
        _input.Forward(s.Input, input, mode);
        s.Skip.Clear();
        for (var j = 0; j < _dilated.Length; j++)
        {
            var x = BlockInput(s, j);
            _dilated[j].Forward(s.Dilated[j], x, mode);
            var z = s.Dilated[j].Output;
            for (var t = 0; t < input.Steps; t++)
            {
                var th = s.TanhPart[j].Step(t);
                var sg = s.SigmoidPart[j].Step(t);
                FastMath.Tanh(z.Data.AsSpan(z.Offset(t), n), th);
                FastMath.Sigmoid(z.Data.AsSpan(z.Offset(t, Filters), n), sg);
                TensorPrimitives.Multiply(th, sg, s.Gated[j].Step(t));
            }
            _residual[j].Forward(s.Residual[j], s.Gated[j], mode);
            var skip = s.Residual[j].Output.Data;
            TensorPrimitives.Add(x.Data, skip, s.Stream[j].Data);
            TensorPrimitives.Add(s.Skip.Data, skip, s.Skip.Data);
        }
        TensorPrimitives.Max(s.Skip.Data, 0f, s.Relu.Data);
        _head.Forward(s.Head, s.Relu, mode);
    }

    private sealed class SeriesWaveState(SeriesState input, SeriesState[] dilated, SeriesState[] residual, SeriesState head, int steps, int filters)
        : SeriesState(head.Output)
    {
        public SeriesState Input { get; } = input;
        public SeriesState[] Dilated { get; } = dilated;
        public SeriesState[] Residual { get; } = residual;
        public SeriesState Head { get; } = head;
        /// <summary>The residual stream x, updated block by block (only the lane path keeps every block's).</summary>
        public SeriesTensor Stream { get; } = new(steps, filters);
        public SeriesTensor Gated { get; } = new(steps, filters);
        public float[] TanhPart { get; } = new float[filters];
        public float[] SigmoidPart { get; } = new float[filters];
        public SeriesTensor Skip { get; } = new(steps, filters);
        public SeriesTensor Relu { get; } = new(steps, filters);
    }

    public override SeriesState CreateSeriesState(int steps, int features) => new SeriesWaveState(
        _input.CreateSeriesState(steps, features),
        _dilated.Select(c => c.CreateSeriesState(steps, Filters)).ToArray(),
        _residual.Select(c => c.CreateSeriesState(steps, Filters)).ToArray(),
        _head.CreateSeriesState(steps, Filters), steps, Filters);

    public override void ForwardSeries(SeriesState state, SeriesTensor input)
    {
        var s = (SeriesWaveState)state;
        _input.ForwardSeries(s.Input, input);
        Array.Clear(s.Skip.Data);
        for (var j = 0; j < _dilated.Length; j++)
        {
            var x = j == 0 ? s.Input.Output : s.Stream;
            _dilated[j].ForwardSeries(s.Dilated[j], x);
            var z = s.Dilated[j].Output;
            for (var t = 0; t < input.Steps; t++)
            {
                var zt = z.Step(t);
                FastMath.Tanh(zt[..Filters], s.TanhPart);
                FastMath.Sigmoid(zt[Filters..], s.SigmoidPart);
                TensorPrimitives.Multiply(s.TanhPart, s.SigmoidPart, s.Gated.Step(t));
            }
            _residual[j].ForwardSeries(s.Residual[j], s.Gated);
            var skip = s.Residual[j].Output.Data;
            TensorPrimitives.Add(x.Data, skip, s.Stream.Data);
            TensorPrimitives.Add(s.Skip.Data, skip, s.Skip.Data);
        }
        TensorPrimitives.Max(s.Skip.Data, 0f, s.Relu.Data);
        _head.ForwardSeries(s.Head, s.Relu);
    }

    public override void Backward(LayerState state, LaneTensor input, LaneTensor gradOutput, LaneTensor? gradInput, RunMode mode)
    {
        var s = (State)state;
        var n = Filters * input.Lanes;
        _head.Backward(s.Head, s.Relu, gradOutput, s.GradRelu, mode);
        Activations.BackwardFromOutput(ActivationKind.Relu, s.Relu.Data, s.GradRelu.Data, s.GradSkip.Data);
        // The last block's residual output feeds nothing, so the stream gradient starts at zero.
        s.GradStream.Clear();
        for (var j = _dilated.Length - 1; j >= 0; j--)
        {
            TensorPrimitives.Add(s.GradSkip.Data, s.GradStream.Data, s.GradSum.Data);
            _residual[j].Backward(s.Residual[j], s.Gated[j], s.GradSum, s.GradGated, mode);
            for (var t = 0; t < input.Steps; t++)
            {
                var th = MemoryMarshal.Cast<float, Vector<float>>(s.TanhPart[j].Step(t));
                var sg = MemoryMarshal.Cast<float, Vector<float>>(s.SigmoidPart[j].Step(t));
                var ga = MemoryMarshal.Cast<float, Vector<float>>(s.GradGated.Step(t));
                var gzTanh = MemoryMarshal.Cast<float, Vector<float>>(s.GradZ.Data.AsSpan(s.GradZ.Offset(t), n));
                var gzSig = MemoryMarshal.Cast<float, Vector<float>>(s.GradZ.Data.AsSpan(s.GradZ.Offset(t, Filters), n));
                for (var k = 0; k < th.Length; k++)
                {
                    gzTanh[k] = ga[k] * sg[k] * (Vector<float>.One - th[k] * th[k]);
                    gzSig[k] = ga[k] * th[k] * sg[k] * (Vector<float>.One - sg[k]);
                }
            }
            _dilated[j].Backward(s.Dilated[j], BlockInput(s, j), s.GradZ, s.GradBlockInput, mode);
            // x_{j+1} = x_j + s_j: the identity path plus the path through the dilated conv.
            TensorPrimitives.Add(s.GradStream.Data, s.GradBlockInput.Data, s.GradStream.Data);
        }
        _input.Backward(s.Input, input, s.GradStream, gradInput, mode);
    }
}
