namespace Forecasting.Domain.Windows;

/// <summary>The last input step of a window: which series, and its position there.</summary>
public readonly record struct WindowOrigin(int Series, int Index);

/// <summary>
/// Training or evaluation windows in sample-major layout: <see cref="Inputs"/> is [count, steps, features];
/// <see cref="Targets"/> is [count, outputs] for sequence-to-vector, or [count, outSteps, outputs] for
/// sequence-to-sequence, where outputs = horizon × targets ordered [step][target].
/// </summary>
public sealed record WindowSet(int Count, int Steps, int Features, int OutSteps, int Outputs, float[] Inputs, float[] Targets, IReadOnlyList<WindowOrigin> Origins);

/// <summary>
/// Which outputs a window is trained on: the <c>horizon</c> values after the window (sequence-to-vector),
/// or the next <c>horizon</c> values at every step from <see cref="Offset"/> on, every <see cref="Stride"/>
/// steps (sequence-to-sequence; a valid Conv1D with kernel k and stride s needs offset k−1 and stride s).
/// </summary>
public sealed record TargetShape(bool Sequence, int Offset = 0, int Stride = 1)
{
    public static readonly TargetShape Vector = new(false);
    public static readonly TargetShape EveryStep = new(true);

    public int OutSteps(int windowLength) => Sequence ? (windowLength - 1 - Offset) / Stride + 1 : 1;
}
