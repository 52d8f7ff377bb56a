namespace Forecasting.Api.Datasets.Ingest;

/// <summary>The body of POST /api/datasets/synthetic: the chapter's generator, one series per row.</summary>
public sealed record SyntheticDatasetRequest
{
    public const int MaxCount = 100_000;
    public const int MaxSteps = 10_000;

    /// <summary>Caps count × steps (160 MB of values) so one request cannot exhaust memory.</summary>
    public const long MaxValues = 20_000_000;

    public string? Name { get; init; }
    public int Count { get; init; } = 10_000;
    public int Steps { get; init; } = 60;
    public int Seed { get; init; } = 42;
}
