namespace Forecasting.Training.Neural.Core;

/// <summary>
/// A batch of sequences stored time-major with the batch in the SIMD lanes:
/// element (t, f, b) lives at <c>(t * Features + f) * Lanes + b</c>.
/// <see cref="Lanes"/> is the batch size rounded up to the vector width, so every row of one
/// feature over the batch is a whole number of <see cref="System.Numerics.Vector{T}"/>s.
/// </summary>
public sealed class LaneTensor
{
    public LaneTensor(int steps, int features, int lanes)
    {
        if (lanes % LaneMath.Width != 0) throw new ArgumentException($"lanes must be a multiple of {LaneMath.Width}", nameof(lanes));
        Steps = steps;
        Features = features;
        Lanes = lanes;
        Data = new float[steps * features * lanes];
    }

    public int Steps { get; }
    public int Features { get; }
    public int Lanes { get; }
    public float[] Data { get; }

    /// <summary>Floats per time step (features × lanes).</summary>
    public int StepSize => Features * Lanes;

    public int Offset(int t, int f = 0) => (t * Features + f) * Lanes;

    public Span<float> Step(int t) => Data.AsSpan(t * StepSize, StepSize);

    public void Clear() => Array.Clear(Data);
}

public static class LaneMath
{
    /// <summary>Floats per SIMD vector on this machine.</summary>
    public static int Width => System.Numerics.Vector<float>.Count;

    /// <summary>Batch size rounded up to whole vectors (at least one).</summary>
    public static int LanesFor(int batch) => Math.Max(Width, (batch + Width - 1) / Width * Width);
}
