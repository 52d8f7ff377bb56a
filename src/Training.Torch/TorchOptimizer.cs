using Forecasting.Domain;
using Forecasting.Training.Neural.Optimizers;
using static TorchSharp.torch;

namespace Forecasting.Training.Torch;

/// <summary>
/// The managed engine's optimisers with the same hyper-parameter meanings (Keras formulas, docs/engine.md):
/// SGD (v ← m·v − lr·g; w ← w + v, Nesterov w ← w + m·v − lr·g), Adam (β 0.9/0.999, ε 1e-7, bias-corrected
/// learning rate), Nadam (Keras v2 momentum schedule); optional clipping by global norm.
/// </summary>
internal sealed class TorchOptimizer : IDisposable
{
    private const double Beta1 = 0.9, Beta2 = 0.999, Epsilon = 1e-7;
    private readonly OptimizerKind _kind;
    private readonly double _learningRate, _momentum;
    private readonly bool _nesterov;
    private readonly float? _clipNorm;
    private readonly IReadOnlyList<Tensor> _parameters;
    private readonly Tensor[] _slotA, _slotB;
    private long _iterations;
    private double _muProduct = 1.0;

    public TorchOptimizer(OptimizerKind kind, double learningRate, double momentum, bool nesterov, float? clipNorm, IReadOnlyList<Tensor> parameters)
    {
        _kind = Enum.IsDefined(kind) ? kind : throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        (_learningRate, _momentum, _nesterov, _clipNorm, _parameters) = (learningRate, momentum, nesterov, clipNorm, parameters);
        _slotA = parameters.Select(p => zeros_like(p).requires_grad_(false)).ToArray();
        _slotB = parameters.Select(p => zeros_like(p).requires_grad_(false)).ToArray();
    }

    /// <summary>The managed optimiser's state layout: iterations, slots A and B per parameter, Nadam's μ product.</summary>
    public OptimizerState SaveState()
    {
        float[][] Download(Tensor[] slots) => slots.Select(s =>
        {
            var values = new float[s.numel()];
            TorchNetwork.Download(s, values);
            return values;
        }).ToArray();
        return new OptimizerState(_iterations, Download(_slotA), Download(_slotB), _kind == OptimizerKind.Nadam ? [_muProduct] : []);
    }

    /// <summary>Continues from a <see cref="SaveState"/> (or the managed optimiser's) over the same parameters.</summary>
    public void RestoreState(OptimizerState state)
    {
        if (_kind == OptimizerKind.Nadam && state.Schedule is not [_]) throw new InvalidDataException("a Nadam state holds one schedule value");
        foreach (var (saved, slots) in new[] { (state.SlotsA, _slotA), (state.SlotsB, _slotB) })
        {
            if (saved is not null && saved.Length != slots.Length) throw new InvalidDataException($"the optimiser state has {saved.Length} slots, not {slots.Length}");
            for (var i = 0; i < slots.Length; i++)
                if (saved is null) slots[i].zero_();
                else TorchNetwork.Upload(saved[i], slots[i]);
        }
        _iterations = state.Iterations;
        _muProduct = _kind == OptimizerKind.Nadam ? state.Schedule[0] : 1.0;
    }

    public void ZeroGrad()
    {
        foreach (var p in _parameters) p.grad?.zero_();
    }

    public void Step()
    {
        using var _ = no_grad();
        if (_clipNorm is { } clip) ClipByGlobalNorm(clip);
        var t = ++_iterations;
        double mu = 0, muNext = 0, productNew = 0, productNext = 0;
        if (_kind == OptimizerKind.Nadam)
        {
            mu = Beta1 * (1 - 0.5 * Math.Pow(0.96, 0.004 * t));
            muNext = Beta1 * (1 - 0.5 * Math.Pow(0.96, 0.004 * (t + 1)));
            productNew = _muProduct * mu;
            productNext = productNew * muNext;
            _muProduct = productNew;
        }
        for (var i = 0; i < _parameters.Count; i++)
        {
            var w = _parameters[i];
            if (w.grad is not { } g) continue;
            var (m, v) = (_slotA[i], _slotB[i]);
            switch (_kind)
            {
                case OptimizerKind.Sgd when _momentum == 0:
                    w.add_(g, -_learningRate);
                    break;
                case OptimizerKind.Sgd:
                    m.mul_(_momentum).add_(g, -_learningRate);
                    if (_nesterov)
                    {
                        w.add_(m, _momentum);
                        w.add_(g, -_learningRate);
                    }
                    else w.add_(m);
                    break;
                case OptimizerKind.Adam:
                    {
                        var lrT = _learningRate * Math.Sqrt(1 - Math.Pow(Beta2, t)) / (1 - Math.Pow(Beta1, t));
                        m.mul_(Beta1).add_(g, 1 - Beta1);
                        v.mul_(Beta2).addcmul_(g, g, 1 - Beta2);
                        using var denominator = v.sqrt().add_(Epsilon);
                        w.addcdiv_(m, denominator, -lrT);
                        break;
                    }
                default:
                    {
                        m.mul_(Beta1).add_(g, 1 - Beta1);
                        v.mul_(Beta2).addcmul_(g, g, 1 - Beta2);
                        using var mBar = g.mul((1 - mu) / (1 - productNew)).add_(m, muNext / (1 - productNext));
                        using var denominator = v.mul(1 / (1 - Math.Pow(Beta2, t))).sqrt_().add_(Epsilon);
                        w.addcdiv_(mBar, denominator, -_learningRate);
                        break;
                    }
            }
        }
    }

    public void Dispose()
    {
        foreach (var slot in _slotA.Concat(_slotB)) slot.Dispose();
    }

    private void ClipByGlobalNorm(float clip)
    {
        double squares = 0;
        foreach (var p in _parameters)
            if (p.grad is { } g) squares += g.to_type(ScalarType.Float64).square().sum().item<double>();
        var norm = Math.Sqrt(squares);
        if (norm <= clip) return;
        foreach (var p in _parameters) p.grad?.mul_(clip / norm);
    }
}
