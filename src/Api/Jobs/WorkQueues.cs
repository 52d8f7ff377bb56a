using Forecasting.Domain;

namespace Forecasting.Api.Jobs;

public static class WorkQueues
{
    private static readonly HashSet<string> StatisticalKinds = ["naive", "seasonal_naive", "sarima", "auto_sarima"];

    /// <summary>The queue of a model kind; kinds not known to be statistical train on the neural queue.</summary>
    public static WorkQueue For(string modelKind) => IsStatistical(modelKind) ? WorkQueue.Statistical : WorkQueue.Neural;

    /// <summary>Whether a kind is fitted once (statistical) rather than trained epoch by epoch.</summary>
    public static bool IsStatistical(string modelKind) => StatisticalKinds.Contains(modelKind);

    /// <summary>The queue's name in the job engine and in configuration.</summary>
    public static string Name(this WorkQueue queue) => queue.ToWire();
}
