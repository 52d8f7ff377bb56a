using System.Text;
using System.Text.Json;
using Forecasting.Api.Datasets.Ingest;
using Forecasting.Domain;

namespace Forecasting.Api.Tests.Ingest;

public sealed class JsonDatasetReaderTests
{
    private static IngestResult Read(string json) =>
        JsonDatasetReader.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(json))).GetAwaiter().GetResult();

    private static DatasetFrame Frame(IngestResult result)
    {
        Assert.True(result.Succeeded, string.Join("\n", result.Errors.Select(e => $"{e.Field}: {e.Message}")));
        return result.Frame!;
    }

    [Fact]
    public void Reads_a_series_given_by_start_and_frequency()
    {
        var frame = Frame(Read("""{ "name": "cta", "frequency": "D", "series": [ { "id": "cta", "start": "2019-01-01", "columns": { "rail": [1, 2, 3], "day_type": ["U", "W", "W"] } } ] }"""));
        var series = Assert.Single(frame.Series);
        Assert.Equal("cta", series.Id);
        Assert.Equal("2019-01-01", frame.Frequency.Format(series.Start));
        Assert.Equal([1, 2, 3], series["rail"]);
        Assert.Equal(["U", "W"], frame.Column("day_type")!.Categories);
        Assert.Equal([0, 1, 1], series["day_type"]);
    }

    [Fact]
    public void Trailing_nulls_in_the_targets_with_covariates_set_are_future_rows_up_to_the_horizon_cap()
    {
        const string json = """{ "frequency": "D", "series": [ { "id": "a", "start": "2019-01-01", "columns": { "y": [1, 2, null, null], "promo": [0, 1, 1, 0] } } ] }""";
        var frame = Frame(Read(json));
        Assert.Equal([1, 2], frame.Series[0]["y"]);
        var future = frame.FutureOf("a")!;
        Assert.Equal("2019-01-03", frame.Frequency.Format(future.Start));
        Assert.Equal([1, 0], future["promo"]);

        var upload = JsonSerializer.Deserialize<JsonDatasetUpload>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        var capped = JsonDatasetReader.Read(upload, limits: new Forecasting.Api.Http.Limits { MaxHorizon = 1 });
        var error = Assert.Single(capped.Errors);
        Assert.Equal("series[0] (position 3)", error.Field);
        Assert.Contains("Limits:MaxHorizon", error.Message);
    }

    [Fact]
    public void Reads_timestamps_infers_the_frequency_sorts_and_drops_duplicates()
    {
        var result = Read("""{ "series": [ { "timestamps": ["2019-03-01", "2019-01-01", "2019-02-01", "2019-01-01"], "columns": { "v": [3, 1, 2, 1] } } ] }""");
        var frame = Frame(result);
        Assert.Same(Frequency.Monthly, frame.Frequency);
        Assert.Equal(1, result.DuplicatesDropped);
        Assert.Equal([1, 2, 3], frame.Series[0]["v"]);
        Assert.Equal(CsvDatasetReader.SingleSeriesId, frame.Series[0].Id);
    }

    [Fact]
    public void Reads_a_panel_of_step_series()
    {
        var frame = Frame(Read("""{ "series": [ { "id": 1, "start": 0, "columns": { "v": [0.5, 0.6] } }, { "id": "b", "timestamps": [5, 6, 7], "columns": { "v": [1, 2, 3] } } ] }"""));
        Assert.Same(Frequency.Steps, frame.Frequency);
        Assert.Equal(["1", "b"], frame.Series.Select(s => s.Id));
        Assert.Equal(5, frame.Series[1].Start);
    }

    [Fact]
    public void Names_json_paths_for_missing_values_conflicts_and_gaps()
    {
        var missing = Read("""{ "frequency": "D", "series": [ { "start": "2019-01-01", "columns": { "rail": [1, null, 3] } } ] }""");
        Assert.Equal("series[0].columns.rail[1]", Assert.Single(missing.Errors).Field);

        var conflict = Read("""{ "series": [ { "timestamps": [0, 1, 1], "columns": { "rail": [1, 2, 3] } } ] }""");
        var error = Assert.Single(conflict.Errors);
        Assert.Equal("series[0].columns.rail[2]", error.Field);
        Assert.Contains("series[0].timestamps[1]", error.Message);

        var gap = Read("""{ "series": [ { "timestamps": ["2019-01-01", "2019-01-02", "2019-01-04"], "columns": { "rail": [1, 2, 4] } } ] }""");
        var gapError = Assert.Single(gap.Errors);
        Assert.Equal("series[0].timestamps[2]", gapError.Field);
        Assert.Contains("expected 2019-01-03", gapError.Message);
    }

    [Fact]
    public void Fills_missing_values_with_a_policy()
    {
        var frame = Frame(Read("""{ "frequency": "steps", "fillPolicy": "ffill", "series": [ { "start": 0, "columns": { "rail": [1, null, 3] } } ] }"""));
        Assert.Equal([1, 1, 3], frame.Series[0]["rail"]);
    }

    [Theory]
    [InlineData("Q", "2019-03-31", "QE", "2019-03-31,2019-06-30,2019-09-30")]
    [InlineData("Q", "2019-01-01", "QS", "2019-01-01,2019-04-01,2019-07-01")]
    [InlineData("M", "2020-01-31", "ME", "2020-01-31,2020-02-29,2020-03-31")]
    [InlineData("ME", "2020-01-15", "ME", "2020-01-31,2020-02-29,2020-03-31")]
    [InlineData("B", "2019-05-30", "B", "2019-05-30,2019-05-31,2019-06-03")]
    [InlineData("YE", "2019-12-31", "YE", "2019-12-31,2020-12-31,2021-12-31")]
    [InlineData("15min", "2019-12-31T23:30:00", "15min", "2019-12-31T23:30:00,2019-12-31T23:45:00,2020-01-01T00:00:00")]
    public void A_series_given_by_its_start_walks_the_calendar(string code, string start, string stored, string stamps)
    {
        var frame = Frame(Read($$"""{ "frequency": "{{code}}", "series": [ { "start": "{{start}}", "columns": { "a": [1, 2, 3] } } ] }"""));
        Assert.Equal(stored, frame.Frequency.Code);
        var s = frame.Series[0];
        Assert.Equal(stamps, string.Join(",", Enumerable.Range(0, s.Length).Select(i => frame.Frequency.Format(frame.Frequency.Add(s.Start, i)))));
    }

    [Theory]
    [InlineData("""{ "series": [] }""", "series")]
    [InlineData("""{ "series": [ { "start": 0 } ] }""", "series[0].columns")]
    [InlineData("""{ "series": [ { "start": 0, "columns": { "a": [1], "b": [1, 2] } } ] }""", "series[0].columns.b")]
    [InlineData("""{ "series": [ { "start": "2019-01-01", "columns": { "a": [1, 2] } } ] }""", "frequency")]
    [InlineData("""{ "series": [ { "columns": { "a": [1] } } ] }""", "series[0]")]
    [InlineData("""{ "series": [ { "timestamps": ["2019-01-01", "soon"], "columns": { "a": [1, 2] } } ] }""", "series[0].timestamps[1]")]
    [InlineData("""{ "series": [ { "start": 0, "columns": { "a": [1, true] } } ] }""", "series[0].columns.a[1]")]
    [InlineData("""{ "series": [ { "id": "x", "start": 0, "columns": { "a": [1] } }, { "id": "x", "start": 0, "columns": { "a": [1] } } ] }""", "series[1].id")]
    [InlineData("""{ "series": [ { "id": "x", "start": 0, "columns": { "a": [1] } }, { "id": "y", "start": 0, "columns": { "b": [1] } } ] }""", "series[1].columns")]
    [InlineData("""{ "series": [ { "start": 0, "columns": { "a": [1] } } ], "frequency": "2h" }""", "frequency")]
    [InlineData("""not json""", "body")]
    [InlineData("""{ "series": [ { "start": 0, "columns": { "a": [] } } ] }""", "series[0].columns.a")]
    public void Rejects_malformed_bodies_naming_the_field(string json, string field)
    {
        var result = Read(json);
        Assert.Null(result.Frame);
        Assert.Equal(field, result.Errors[0].Field);
    }

    [Fact]
    public void Treats_listed_columns_as_categorical()
    {
        var upload = JsonSerializer.Deserialize<JsonDatasetUpload>("""{ "series": [ { "start": 0, "columns": { "code": [7, 8, 7] } } ] }""", new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        var frame = Frame(JsonDatasetReader.Read(upload, ["code"]));
        Assert.Equal(["7", "8"], frame.Column("code")!.Categories);
    }
}
