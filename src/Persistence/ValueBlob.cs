using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Forecasting.Persistence;

/// <summary>
/// A column of one series as stored: little-endian IEEE 754 float64 values back to back. A blob per column
/// keeps the table small (a row per column, not per value) and reading a series is one copy.
/// </summary>
public static class ValueBlob
{
    public static byte[] Encode(ReadOnlySpan<double> values)
    {
        var bytes = MemoryMarshal.AsBytes(values).ToArray();
        if (!BitConverter.IsLittleEndian) ReverseEach(bytes);
        return bytes;
    }

    public static double[] Decode(ReadOnlySpan<byte> blob)
    {
        if (blob.Length % sizeof(double) != 0)
            throw new InvalidDataException($"A value blob of {blob.Length} bytes is not a whole number of float64 values.");
        var values = new double[blob.Length / sizeof(double)];
        blob.CopyTo(MemoryMarshal.AsBytes(values.AsSpan()));
        if (!BitConverter.IsLittleEndian) ReverseEach(MemoryMarshal.AsBytes(values.AsSpan()));
        return values;
    }

    private static void ReverseEach(Span<byte> bytes)
    {
        var words = MemoryMarshal.Cast<byte, ulong>(bytes);
        for (var i = 0; i < words.Length; i++) words[i] = BinaryPrimitives.ReverseEndianness(words[i]);
    }
}
