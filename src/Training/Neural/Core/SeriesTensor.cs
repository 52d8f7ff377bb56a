namespace Forecasting.Training.Neural.Core;

/// <summary>
/// One series on the single-series path, stored [steps][features] with every step padded to
/// whole vectors (<see cref="Stride"/> floats). The features sit in the SIMD lanes, so
/// <see cref="LaneKernels.Gemm"/> computes matrix–vector products with a layer's output rows in
/// the lanes (see <see cref="LaneKernels.TransposeIntoLanes"/>). Padding floats are never read
/// as inputs; they hold zeros or values nobody uses.
/// </summary>
public sealed class SeriesTensor
{
    public SeriesTensor(int steps, int features)
    {
        Steps = steps;
        Features = features;
        Stride = LaneMath.LanesFor(features);
        Data = new float[steps * Stride];
    }

    public int Steps { get; }
    public int Features { get; }

    /// <summary>Floats per step: the features rounded up to whole vectors.</summary>
    public int Stride { get; }

    public float[] Data { get; }

    public int Offset(int t) => t * Stride;

    /// <summary>The real features of step t (without padding).</summary>
    public Span<float> Step(int t) => Data.AsSpan(t * Stride, Features);
}
