namespace Forecasting.Training.Neural.Core;

/// <summary>
/// Dropout masks for data-parallel training: one SplitMix64 stream per block of <see cref="LaneMath.Width"/> lanes of
/// the whole batch, seeded from the batch's key. A block's mask values depend only on
/// the batch's key and the block's place in the batch, never on which slice (thread) holds it, so any thread count
/// draws the same masks. The key comes from the training seed, the epoch and the batch's place in it, not from the
/// trainer's generator: the shuffles stay those of the single-threaded loop, and a resumed run draws the same masks.
/// </summary>
internal static class LaneBlockRandom
{
    /// <summary>The key of one batch: the training seed, the epoch and the batch's first position in the epoch.</summary>
    public static ulong BatchKey(int seed, int epoch, int start) =>
        Mix(Mix(((ulong)(uint)seed << 32) | (uint)epoch) ^ (uint)start);

    /// <summary>Seeds every block's stream for one batch.</summary>
    public static void Seed(ulong[] states, ulong batchKey)
    {
        for (var b = 0; b < states.Length; b++) states[b] = Mix(batchKey + 0x9E3779B97F4A7C15UL * (ulong)(b + 1));
    }

    /// <summary>A uniform float in [0, 1) with 24 random bits.</summary>
    public static float NextSingle(ref ulong state)
    {
        state += 0x9E3779B97F4A7C15UL;
        return (Mix(state) >> 40) * (1f / (1 << 24));
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
