namespace Forecasting.Training.Statistical;

/// <summary>
/// A pinned array of doubles whose usable part starts on a 32-byte boundary, so that every SIMD load of a padded row
/// stays within one cache line. Where an ordinary array happens to start decides how many loads straddle two lines;
/// that alone moved a likelihood evaluation between about 115 and 230 µs from one filter instance to the next.
/// </summary>
internal sealed unsafe class AlignedBuffer
{
    private readonly double[] _storage;

    public AlignedBuffer(int length)
    {
        // Pinned-object-heap arrays never move, so the aligned pointer stays valid for the buffer's lifetime.
        _storage = GC.AllocateArray<double>(length + 4, pinned: true);
        fixed (double* start = _storage)
        {
            var misalignment = (int)((nuint)start % 32) / sizeof(double);
            Offset = misalignment == 0 ? 0 : 4 - misalignment;
            Pointer = start + Offset;
        }
        Length = length;
    }

    public double* Pointer { get; }

    public int Offset { get; }

    public int Length { get; }

    public Span<double> Span => _storage.AsSpan(Offset, Length);
}
