using System.Buffers.Binary;

namespace Forecasting.Training.Neural.Core;

/// <summary>
/// The generator behind <c>new System.Random(seed)</c> (Knuth's subtractive method, as .NET keeps it for seeded
/// instances), draw for draw the same numbers, but with a state that can be saved and restored: a training
/// checkpoint carries it so a resumed run draws exactly the shuffles and dropout masks the uninterrupted run
/// would have. <see cref="System.Random"/> offers no access to its state.
/// </summary>
public sealed class SubtractiveRandom : Random
{
    private const int StateBytes = 56 * 4 + 8;
    private readonly int[] _seedArray = new int[56];
    private int _inext;
    private int _inextp;

    public SubtractiveRandom(int seed)
    {
        var subtraction = seed == int.MinValue ? int.MaxValue : Math.Abs(seed);
        var mj = 161803398 - subtraction;
        _seedArray[55] = mj;
        var mk = 1;
        var ii = 0;
        for (var i = 1; i < 55; i++)
        {
            if ((ii += 21) >= 55) ii -= 55;
            _seedArray[ii] = mk;
            mk = mj - mk;
            if (mk < 0) mk += int.MaxValue;
            mj = _seedArray[ii];
        }
        for (var k = 1; k < 5; k++)
            for (var i = 1; i < 56; i++)
            {
                var n = i + 30;
                if (n >= 55) n -= 55;
                _seedArray[i] -= _seedArray[1 + n];
                if (_seedArray[i] < 0) _seedArray[i] += int.MaxValue;
            }
        _inext = 0;
        _inextp = 21;
    }

    private SubtractiveRandom() { }

    /// <summary>The generator's whole state (56 words and two indices), little-endian.</summary>
    public byte[] SaveState()
    {
        var bytes = new byte[StateBytes];
        for (var i = 0; i < 56; i++) BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(i * 4), _seedArray[i]);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(224), _inext);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(228), _inextp);
        return bytes;
    }

    /// <summary>A generator that continues where the one that saved <paramref name="state"/> was.</summary>
    public static SubtractiveRandom FromState(ReadOnlySpan<byte> state)
    {
        if (state.Length != StateBytes) throw new InvalidDataException($"a random generator state has {StateBytes} bytes, not {state.Length}");
        var random = new SubtractiveRandom();
        for (var i = 0; i < 56; i++) random._seedArray[i] = BinaryPrimitives.ReadInt32LittleEndian(state[(i * 4)..]);
        random._inext = BinaryPrimitives.ReadInt32LittleEndian(state[224..]);
        random._inextp = BinaryPrimitives.ReadInt32LittleEndian(state[228..]);
        if (random._inext is < 0 or > 55 || random._inextp is < 0 or > 55) throw new InvalidDataException("the random generator state is corrupt");
        return random;
    }

    private int InternalSample()
    {
        var next = _inext + 1;
        if (next >= 56) next = 1;
        var nextp = _inextp + 1;
        if (nextp >= 56) nextp = 1;
        var value = _seedArray[next] - _seedArray[nextp];
        if (value == int.MaxValue) value--;
        if (value < 0) value += int.MaxValue;
        _seedArray[next] = value;
        _inext = next;
        _inextp = nextp;
        return value;
    }

    protected override double Sample() => InternalSample() * (1.0 / int.MaxValue);

    public override double NextDouble() => Sample();

    public override float NextSingle() => (float)Sample();

    public override int Next() => InternalSample();

    public override int Next(int maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxValue);
        return (int)(Sample() * maxValue);
    }

    public override int Next(int minValue, int maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minValue, maxValue);
        var range = (long)maxValue - minValue;
        return range <= int.MaxValue ? (int)(Sample() * range) + minValue : (int)((long)(LargeRangeSample() * range) + minValue);
    }

    /// <summary>.NET's sample for ranges wider than int: two draws.</summary>
    private double LargeRangeSample()
    {
        var result = InternalSample();
        if (InternalSample() % 2 == 0) result = -result;
        double d = result;
        d += int.MaxValue - 1;
        d /= 2.0 * int.MaxValue - 1;
        return d;
    }

    public override void NextBytes(byte[] buffer) => NextBytes(buffer.AsSpan());

    public override void NextBytes(Span<byte> buffer)
    {
        for (var i = 0; i < buffer.Length; i++) buffer[i] = (byte)InternalSample();
    }

    public override long NextInt64() => throw new NotSupportedException("training draws ints, floats and doubles only");

    public override long NextInt64(long maxValue) => throw new NotSupportedException("training draws ints, floats and doubles only");

    public override long NextInt64(long minValue, long maxValue) => throw new NotSupportedException("training draws ints, floats and doubles only");
}
