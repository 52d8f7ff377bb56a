using Forecasting.Domain;
using Forecasting.Training.Neural.Core;

namespace Forecasting.Training.Neural.Optimizers;

/// <summary>
/// Applies gradients to trainable parameters with Keras update formulas. State (slots) is
/// allocated on the first step, so steady-state steps allocate nothing.
/// </summary>
public abstract class Optimizer
{
    protected Optimizer(float learningRate) => LearningRate = learningRate;

    public float LearningRate { get; set; }

    /// <summary>Rescale all gradients together when their global L2 norm exceeds this.</summary>
    public float? ClipNorm { get; set; }

    /// <summary>Updates applied so far (Keras "iterations"); the next step uses Iterations + 1.</summary>
    public long Iterations { get; private set; }

    private float[][]? _slotsA;
    private float[][]? _slotsB;

    protected float[] SlotA(int index) => _slotsA![index];
    protected float[] SlotB(int index) => _slotsB![index];

    public void Step(IReadOnlyList<Parameter> parameters)
    {
        if (_slotsA is null || _slotsA.Length != parameters.Count)
        {
            _slotsA = parameters.Select(p => new float[p.Length]).ToArray();
            _slotsB = parameters.Select(p => new float[p.Length]).ToArray();
        }
        if (ClipNorm is { } clip) ClipByGlobalNorm(parameters, clip);
        Iterations++;
        BeginStep(Iterations);
        for (var i = 0; i < parameters.Count; i++)
            if (parameters[i].Trainable) Update(i, parameters[i], Iterations);
    }

    protected virtual void BeginStep(long t) { }

    /// <summary>Everything the next steps depend on: the step count, both slot sets (null before the first step) and any schedule state.</summary>
    public OptimizerState SaveState() => new(Iterations, Copy(_slotsA), Copy(_slotsB), SaveScheduleState());

    /// <summary>Continues from a <see cref="SaveState"/> of an optimiser of the same kind over the same parameters.</summary>
    public void RestoreState(OptimizerState state)
    {
        Iterations = state.Iterations;
        _slotsA = Copy(state.SlotsA);
        _slotsB = Copy(state.SlotsB);
        RestoreScheduleState(state.Schedule);
    }

    /// <summary>State a subclass keeps beyond the slots (Nadam's momentum-schedule product).</summary>
    protected virtual double[] SaveScheduleState() => [];

    protected virtual void RestoreScheduleState(double[] values) { }

    private static float[][]? Copy(float[][]? slots) => slots?.Select(s => (float[])s.Clone()).ToArray();

    protected abstract void Update(int index, Parameter p, long t);

    /// <summary>Scales every gradient by clip / ‖g‖ when the global norm ‖g‖ exceeds clip (tf.clip_by_global_norm).</summary>
    public static double ClipByGlobalNorm(IReadOnlyList<Parameter> parameters, float clip)
    {
        double sq = 0;
        foreach (var p in parameters)
            if (p.Trainable)
                foreach (var g in p.Grad) sq += (double)g * g;
        var norm = Math.Sqrt(sq);
        if (norm > clip)
        {
            var scale = (float)(clip / norm);
            foreach (var p in parameters)
                if (p.Trainable) System.Numerics.Tensors.TensorPrimitives.Multiply(p.Grad, scale, p.Grad);
        }
        return norm;
    }

    public static Optimizer Create(OptimizerKind kind, float learningRate, float momentum = 0f, bool nesterov = false) => kind switch
    {
        OptimizerKind.Sgd => new SgdOptimizer(learningRate, momentum, nesterov),
        OptimizerKind.Adam => new AdamOptimizer(learningRate),
        OptimizerKind.Nadam => new NadamOptimizer(learningRate),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
