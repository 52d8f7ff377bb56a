using Forecasting.Api.Datasets.Ingest;
using Forecasting.Domain;

namespace Forecasting.Api.Tests.Ingest;

public sealed class DatasetAppenderTests
{
    private static DatasetFrame Csv(string csv, string? seriesColumn = null)
    {
        var result = CsvDatasetReader.Read(new StringReader(csv), new CsvUploadOptions(SeriesColumn: seriesColumn, Frequency: "D"));
        Assert.True(result.Succeeded, string.Join("\n", result.Errors.Select(e => $"{e.Field}: {e.Message}")));
        return result.Frame!;
    }

    private static readonly DatasetFrame Stored = Csv("date,day_type,rail\n2019-01-01,U,10\n2019-01-02,W,20\n2019-01-03,W,30\n");

    [Fact]
    public void Appends_newer_rows_and_ignores_repeated_equal_rows()
    {
        var result = DatasetAppender.Append(Stored, Csv("date,day_type,rail\n2019-01-03,W,30\n2019-01-04,W,40\n2019-01-05,U,50\n"));
        Assert.True(result.Succeeded);
        Assert.Equal((2, 1), (result.Added, result.Ignored));
        var series = Assert.Single(result.Merged!.Series);
        Assert.Equal([10, 20, 30, 40, 50], series["rail"]);
        Assert.Equal([0, 1, 1, 1, 0], series["day_type"]); // U=0, W=1
    }

    [Fact]
    public void Future_rows_give_way_to_observations_and_are_replaced_by_newer_future_rows()
    {
        // Rows after the last complete one (y empty, promo set) are the known-future rows, not observations.
        var stored = Csv("date,promo,y\n2019-01-01,0,10\n2019-01-02,1,20\n2019-01-03,1,\n2019-01-04,0,\n");
        Assert.Equal(2, Assert.Single(stored.Series).Length);
        var future = stored.FutureOf("0")!;
        Assert.Equal([1, 0], future["promo"]);
        Assert.False(future.Columns.ContainsKey("y"));

        // Observing 2019-01-03 drops that future row; 2019-01-04's stays.
        var observed = DatasetAppender.Append(stored, Csv("date,promo,y\n2019-01-03,1,30\n"));
        Assert.True(observed.Succeeded);
        Assert.Equal([10, 20, 30], Assert.Single(observed.Merged!.Series)["y"]);
        var left = observed.Merged.FutureOf("0")!;
        Assert.Equal((1, 0.0), (left.Length, left["promo"][0]));
        Assert.Equal(observed.Merged.Frequency.Add(stored.Series[0].Start, 3), left.Start);

        // Posted future rows replace the stored ones.
        var replanned = DatasetAppender.Append(stored, Csv("date,promo,y\n2019-01-02,1,20\n2019-01-03,0,\n2019-01-04,0,\n2019-01-05,1,\n"));
        Assert.True(replanned.Succeeded);
        Assert.Equal([0, 0, 1], replanned.Merged!.FutureOf("0")!["promo"]);
    }

    [Fact]
    public void Rejects_a_changed_value_as_a_conflict_naming_timestamp_and_column()
    {
        var result = DatasetAppender.Append(Stored, Csv("date,day_type,rail\n2019-01-03,W,31\n2019-01-04,W,40\n"));
        Assert.Null(result.Merged);
        Assert.True(result.IsConflict);
        var error = Assert.Single(result.Errors);
        Assert.Equal("series 0, 2019-01-03, column rail", error.Field);
        Assert.Contains("30", error.Message);
        Assert.Contains("31", error.Message);
    }

    [Fact]
    public void Rejects_a_gap_after_the_stored_end()
    {
        var result = DatasetAppender.Append(Stored, Csv("date,day_type,rail\n2019-01-05,W,50\n"));
        Assert.False(result.IsConflict);
        var error = Assert.Single(result.Errors);
        Assert.Contains("continue at 2019-01-04", error.Message);
    }

    [Fact]
    public void Rejects_rows_before_the_series_start()
    {
        var result = DatasetAppender.Append(Stored, Csv("date,day_type,rail\n2018-12-31,W,5\n2019-01-01,U,10\n"));
        Assert.Contains("before the series' first timestamp", Assert.Single(result.Errors).Message);
    }

    [Fact]
    public void Appends_new_categories_keeping_stored_codes()
    {
        var result = DatasetAppender.Append(Stored, Csv("date,day_type,rail\n2019-01-04,A,40\n"));
        Assert.True(result.Succeeded);
        var dayType = result.Merged!.Column("day_type")!;
        Assert.Equal(["U", "W", "A"], dayType.Categories);
        Assert.Equal([0, 1, 1, 2], result.Merged.Series[0]["day_type"]);
    }

    [Fact]
    public void Starts_new_series_of_a_panel()
    {
        var panel = Csv("id,date,rail\na,2019-01-01,1\na,2019-01-02,2\n", seriesColumn: "id");
        var result = DatasetAppender.Append(panel, Csv("id,date,rail\nb,2019-02-01,7\na,2019-01-03,3\n", seriesColumn: "id"));
        Assert.True(result.Succeeded);
        Assert.Equal(2, result.Added);
        Assert.Equal(["a", "b"], result.Merged!.Series.Select(s => s.Id));
        Assert.Equal([1, 2, 3], result.Merged.Series[0]["rail"]);
    }

    [Fact]
    public void Rejects_mismatched_columns()
    {
        var missing = DatasetAppender.Append(Stored, Csv("date,rail\n2019-01-04,40\n"));
        Assert.Equal("columns", Assert.Single(missing.Errors).Field);
        var extra = DatasetAppender.Append(Stored, Csv("date,day_type,rail,bus\n2019-01-04,W,40,1\n"));
        Assert.Equal("column bus", Assert.Single(extra.Errors).Field);
        var kind = DatasetAppender.Append(Stored, Csv("date,day_type,rail\n2019-01-04,1,40\n"));
        Assert.Equal("column day_type", Assert.Single(kind.Errors).Field);
    }

    [Fact]
    public void Append_options_keep_numeric_looking_codes_categorical()
    {
        var stored = Csv("date,code,rail\n2019-01-01,1,10\n2019-01-02,2,20\n".Replace(",1,", ",a1,").Replace(",2,", ",a2,"));
        var options = new CsvUploadOptions(FillPolicy: null).ForAppend(stored.Frequency, stored.Columns);
        Assert.Equal("D", options.Frequency);
        Assert.Equal(["code"], options.CategoricalColumns);
        // One row only: the frequency could not be inferred, and "7" would read as a number.
        var incoming = CsvDatasetReader.Read(new StringReader("date,code,rail\n2019-01-03,7,30\n"), options);
        Assert.True(incoming.Succeeded);
        var result = DatasetAppender.Append(stored, incoming.Frame!);
        Assert.True(result.Succeeded);
        Assert.Equal(["a1", "a2", "7"], result.Merged!.Column("code")!.Categories);
        Assert.Equal([0, 1, 2], result.Merged.Series[0]["code"]);
    }
}
