namespace Forecasting.Api.Tests.Infrastructure;

/// <summary>
/// Tests that assert latencies (a statistical run within 3 s, a cancel within 2 s): they run alone, after the parallel
/// classes, so the process clusters and CTA trainings of other classes don't starve them of the machine's cores.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingSensitiveCollection
{
    public const string Name = "timing-sensitive";
}
