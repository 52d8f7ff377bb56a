using Forecasting.Api.Datasets.Ingest;
using Forecasting.Domain;
using Forecasting.Tests.Shared;

namespace Forecasting.Api.Tests.Ingest;

/// <summary>The chapter's file, read the chapter's way: rename, drop total, drop duplicates.</summary>
public sealed class CtaCsvTests
{
    private static readonly CsvUploadOptions ChapterOptions = new(
        ColumnNames: ["date", "day_type", "bus", "rail", "total"], DropColumns: ["total"]);

    private static IngestResult ReadCta()
    {
        using var stream = File.OpenRead(CtaData.RequiredPath);
        return CsvDatasetReader.Read(stream, ChapterOptions);
    }

    [CtaFact]
    public void Reads_the_cta_file_like_the_chapter()
    {
        var result = ReadCta();
        Assert.True(result.Succeeded, string.Join("\n", result.Errors.Select(e => $"{e.Field}: {e.Message}")));
        var frame = result.Frame!;
        var rawRows = File.ReadLines(CtaData.RequiredPath).Count() - 1;
        var series = Assert.Single(frame.Series);
        Assert.Same(Frequency.Daily, frame.Frequency);
        Assert.Equal("2001-01-01", frame.Frequency.Format(series.Start));
        Assert.Equal("2021-11-30", frame.Frequency.Format(series.End(frame.Frequency)));
        // 2001-01-01..2021-11-30 is 7,639 days without gaps; the file repeats some rows (62), which are dropped.
        Assert.Equal(7639, series.Length);
        Assert.Equal(rawRows - 7639, result.DuplicatesDropped);
        Assert.Equal(62, result.DuplicatesDropped);
        Assert.Equal(["day_type", "bus", "rail"], frame.Columns.Select(c => c.Name));
        var dayType = frame.Column("day_type")!;
        Assert.Equal(ColumnKind.Categorical, dayType.Kind);
        Assert.Equal(["A", "U", "W"], dayType.Categories);
        Assert.Equal(1, series["day_type"][0]); // 2001-01-01 was a holiday (U)
        Assert.Equal(126455, series["rail"][0]);
        Assert.Equal(297192, series["bus"][0]);
    }

    [CtaFact]
    public void Without_dropping_total_the_file_still_reads()
    {
        using var stream = File.OpenRead(CtaData.RequiredPath);
        var result = CsvDatasetReader.Read(stream, new CsvUploadOptions());
        Assert.True(result.Succeeded, string.Join("\n", result.Errors.Select(e => $"{e.Field}: {e.Message}")));
        Assert.Equal(["day_type", "bus", "rail_boardings", "total_rides"], result.Frame!.Columns.Select(c => c.Name));
    }

    [CtaFact]
    public void Dropping_total_rides_by_its_file_name_gives_the_same_rows()
    {
        using var stream = File.OpenRead(CtaData.RequiredPath);
        var result = CsvDatasetReader.Read(stream, new CsvUploadOptions(DropColumns: ["total_rides"]));
        Assert.True(result.Succeeded, string.Join("\n", result.Errors.Select(e => $"{e.Field}: {e.Message}")));
        Assert.Equal(["day_type", "bus", "rail_boardings"], result.Frame!.Columns.Select(c => c.Name));
        Assert.Equal(7639, result.Frame.Rows);
        Assert.Equal(62, result.DuplicatesDropped);
    }
}
