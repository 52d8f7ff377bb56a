namespace Forecasting.Api.Datasets;

/// <summary>A series' known-future rows: their timestamps and the known columns' values (the targets are not known yet).</summary>
public sealed record SeriesFutureData(IReadOnlyList<object> Timestamps, IReadOnlyDictionary<string, IReadOnlyList<object>> Columns);
