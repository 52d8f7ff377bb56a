namespace Forecasting.Training.Neural.Backends;

/// <summary>
/// How many CPU threads the managed engine trains on: several only where a batch's work (<see cref="AutoBackendRule.Work"/>)
/// reaches <see cref="Threshold"/>, with at least <see cref="MinLanesPerThread"/> lanes per thread; one for batch
/// normalisation (its statistics are over the whole batch). Below the threshold, waking the other threads for every
/// batch costs more than it saves (docs/engine.md, "Data-parallel training").
/// </summary>
public static class ManagedThreadsRule
{
    /// <summary>Multiply-adds per time step and batch from which slicing the batch pays.</summary>
    public const double Threshold = 3e6;

    /// <summary>Each thread's slice is at least this many lanes: one pass of the widest product kernel.</summary>
    public const int MinLanesPerThread = 32;

    /// <summary>The most slices <see cref="Training.ParallelBatchStep"/> cuts a batch into.</summary>
    public const int MaxThreads = 64;

    public static (int Threads, string Reason) Choose(NetworkSpec spec, int batchSize, int maxThreads)
    {
        if (maxThreads <= 1) return (1, "one thread: Training:ManagedThreads allows one");
        if (spec.Layers.Any(l => l is BatchNormSpec)) return (1, "one thread: batch normalisation needs the whole batch's statistics");
        var work = AutoBackendRule.Work(spec, batchSize);
        if (work < Threshold) return (1, $"one thread: {work:0.##e+0} multiply-adds per step and batch, below the {Threshold:0.##e+0} from which more threads pay");
        var threads = Math.Min(Math.Min(maxThreads, MaxThreads), Core.LaneMath.LanesFor(batchSize) / MinLanesPerThread);
        return threads <= 1
            ? (1, $"one thread: a batch of {batchSize} is less than two slices of {MinLanesPerThread}")
            : (threads, $"{threads} threads: {work:0.##e+0} multiply-adds per step and batch (from {Threshold:0.##e+0}), {MinLanesPerThread}+ lanes per thread");
    }
}
