using Forecasting.Domain;
using Forecasting.Persistence;
using Forecasting.Persistence.Entities;

namespace Forecasting.Api.Datasets;

/// <summary>A column: its kind, its categories (categorical) and the bounds its values keep to (declared at upload).</summary>
public sealed record ColumnSummary(string Name, string Kind, IReadOnlyList<string>? Categories, ForecastBounds? Bounds);

/// <summary>A series' span; <see cref="FutureRows"/>: the known-future rows stored after its end (targets empty).</summary>
public sealed record SeriesSummary(string Id, object Start, object End, int Length, int FutureRows);

/// <summary>A dataset's summary: its columns and series, without the values.</summary>
public sealed record DatasetResponse(
    Guid Id, string Name, string Frequency, long Rows, int DuplicatesDropped,
    IReadOnlyList<ColumnSummary> Columns, IReadOnlyList<SeriesSummary> Series,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    /// <summary>From the rows alone (series must be loaded; their value blobs need not be).</summary>
    public static DatasetResponse From(DatasetEntity dataset)
    {
        Domain.Frequency.TryParse(dataset.Frequency, out var frequency);
        var columns = ColumnMetadata.Deserialize(dataset.ColumnsJson);
        return new DatasetResponse(
            dataset.Id, dataset.Name, dataset.Frequency, dataset.Rows, dataset.DuplicatesDropped,
            columns.Select(c => new ColumnSummary(c.Name, c.Kind.ToWire(),
                c.Kind == ColumnKind.Categorical ? c.Categories : null, c.Bounds)).ToList(),
            dataset.Series.OrderBy(s => s.Id).Select(s => new SeriesSummary(s.Key,
                Forecasts.ForecastService.Timestamp(frequency, s.Start),
                Forecasts.ForecastService.Timestamp(frequency, frequency.Add(s.Start, s.Length - 1)), s.Length, s.FutureLength)).ToList(),
            dataset.CreatedAt, dataset.UpdatedAt);
    }
}

/// <summary>The answer to an append: what was added, what was already there, how many recorded forecasts it scored, how many drift events it raised, and what an on-arrival check flagged.</summary>
public sealed record AppendResponse(int Added, int Ignored, DatasetResponse Dataset, int Scored = 0, int DriftEvents = 0, Anomalies.ArrivalAnomalies? Anomalies = null);
