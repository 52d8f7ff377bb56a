using Forecasting.Api.Datasets.Ingest;
using Forecasting.Domain;

namespace Forecasting.Api.Tests.Ingest;

/// <summary>
/// Nixtla's long format (unique_id, ds, y, ...) is read without upload fields; other layouts whose time column is
/// not a time get a message naming the seriesColumn / timeColumn to pass; duplicates name series, time and lines.
/// </summary>
public sealed class LongFormatTests
{
    private static IngestResult Read(string csv, CsvUploadOptions? options = null) =>
        CsvDatasetReader.Read(new StringReader(csv), options ?? new CsvUploadOptions());

    private static DatasetFrame Frame(IngestResult result)
    {
        Assert.True(result.Succeeded, string.Join("\n", result.Errors.Select(e => $"{e.Field}: {e.Message}")));
        return result.Frame!;
    }

    private const string Weekly = "SKU000,2024-01-07,1\nSKU001,2024-01-07,2\nSKU000,2024-01-14,3\nSKU001,2024-01-14,4\nSKU000,2024-01-21,5\nSKU001,2024-01-21,6\n";

    [Fact]
    public void A_unique_id_ds_y_header_is_a_panel_without_upload_fields()
    {
        var frame = Frame(Read("unique_id,ds,y\n" + Weekly));
        Assert.Same(Frequency.Weekly, frame.Frequency);
        Assert.Equal(["SKU000", "SKU001"], frame.Series.Select(s => s.Id));
        Assert.Equal(["y"], frame.Columns.Select(c => c.Name));
        Assert.Equal([2, 4, 6], frame.Series[1]["y"]);
    }

    [Fact]
    public void Unique_id_and_ds_are_recognised_anywhere_beside_other_columns()
    {
        var csv = "ds,y,unique_id,promo\n" + string.Join("", Weekly.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select((line, i) => { var f = line.Split(','); return $"{f[1]},{f[2]},{f[0]},{i % 2}\n"; }));
        var frame = Frame(Read(csv));
        Assert.Equal(["SKU000", "SKU001"], frame.Series.Select(s => s.Id));
        Assert.Equal(["y", "promo"], frame.Columns.Select(c => c.Name));
        // Naming only one of the two columns keeps the convention for the other.
        Assert.Equal(["SKU000", "SKU001"], Frame(Read(csv, new CsvUploadOptions(TimeColumn: "ds"))).Series.Select(s => s.Id));
        Assert.Equal(["SKU000", "SKU001"], Frame(Read(csv, new CsvUploadOptions(SeriesColumn: "unique_id"))).Series.Select(s => s.Id));
    }

    [Fact]
    public void An_id_in_the_time_column_suggests_seriesColumn_and_timeColumn_by_the_users_names()
    {
        var result = Read("unique_id,week,y\n" + Weekly);
        var error = result.Errors[0];
        Assert.Equal("line 2, column unique_id", error.Field);
        Assert.StartsWith("'SKU000' is not a date", error.Message);
        Assert.EndsWith("If unique_id names the series, pass seriesColumn=unique_id and timeColumn=week.", error.Message);
        // Said once, on the first row, not on every row that repeats the mistake.
        Assert.All(result.Errors.Skip(1), e => Assert.DoesNotContain("seriesColumn", e.Message));
        Assert.Equal(["SKU000", "SKU001"], Frame(Read("unique_id,week,y\n" + Weekly, new CsvUploadOptions(SeriesColumn: "unique_id", TimeColumn: "week"))).Series.Select(s => s.Id));
    }

    [Fact]
    public void With_the_series_column_given_the_hint_names_the_time_column_only()
    {
        var error = Read("store,sku,date,y\nnorth,A,2024-01-01,1\n", new CsvUploadOptions(SeriesColumn: "sku")).Errors[0];
        Assert.Equal("line 2, column store", error.Field);
        Assert.EndsWith("Pass timeColumn=date.", error.Message);
        // No date anywhere in the row: the columns are listed.
        var none = Read("store,y\nnorth,1\n").Errors[0];
        Assert.EndsWith("If store names the series, pass seriesColumn=store and timeColumn naming the date column (the columns are: store, y).", none.Message);
    }

    [Fact]
    public void A_date_in_another_format_asks_for_dateFormat_not_for_a_series_column()
    {
        var error = Read("d,v\n31.01.2019,1\n01.02.2019,2\n").Errors[0];
        Assert.Contains("dateFormat", error.Message);
        Assert.DoesNotContain("seriesColumn", error.Message);
    }

    [Fact]
    public void A_conflicting_duplicate_names_the_series_the_time_and_both_lines()
    {
        var error = Assert.Single(Read("unique_id,ds,y\nA,2024-01-01,1\nA,2024-01-02,2\nA,2024-01-01,3\n").Errors);
        Assert.Equal("line 4, column y", error.Field);
        Assert.Equal("Series 'A' (unique_id): 2024-01-01 appears twice (line 2 and line 4) with a different y (1 vs 3); keep one of the rows.", error.Message);
    }

    [Fact]
    public void Duplicates_that_are_really_two_series_suggest_the_series_column()
    {
        var error = Assert.Single(Read("date,store,y\n2024-01-01,north,1\n2024-01-01,south,2\n").Errors);
        Assert.Equal("line 3, column store", error.Field);
        Assert.Equal("2024-01-01 appears twice (line 2 and line 3) with a different store ('north' vs 'south'). " +
            "If store tells the series apart, pass seriesColumn=store; otherwise keep one of the rows.", error.Message);
        // Numeric ids cannot be told from values: the columns that differ are named.
        var numeric = Assert.Single(Read("date,store,y\n2024-01-01,1,10\n2024-01-01,2,20\n").Errors);
        Assert.EndsWith("If the rows are different series, pass seriesColumn naming the column that tells them apart (they differ in store, y); otherwise keep one of the rows.", numeric.Message);
    }
}
