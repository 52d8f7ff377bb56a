using System.Text;
using Forecasting.Api.Datasets.Ingest;
using Forecasting.Domain;

namespace Forecasting.Api.Tests.Ingest;

public sealed class CsvDatasetReaderTests
{
    private static IngestResult Read(string csv, CsvUploadOptions? options = null) =>
        CsvDatasetReader.Read(new StringReader(csv), options ?? new CsvUploadOptions());

    private static DatasetFrame Frame(IngestResult result)
    {
        Assert.True(result.Succeeded, string.Join("\n", result.Errors.Select(e => $"{e.Field}: {e.Message}")));
        return result.Frame!;
    }

    private static FieldError SingleError(IngestResult result)
    {
        Assert.Null(result.Frame);
        return Assert.Single(result.Errors);
    }

    [Fact]
    public void Reads_a_daily_file_with_iso_dates()
    {
        var frame = Frame(Read("date,rail\n2019-01-01,10\n2019-01-02,11\n2019-01-03,12.5\n"));
        Assert.Same(Frequency.Daily, frame.Frequency);
        var series = Assert.Single(frame.Series);
        Assert.Equal(CsvDatasetReader.SingleSeriesId, series.Id);
        Assert.Equal("2019-01-01", frame.Frequency.Format(series.Start));
        Assert.Equal([10, 11, 12.5], series["rail"]);
        Assert.Equal(ColumnKind.Numeric, frame.Column("rail")!.Kind);
    }

    [Fact]
    public void Reads_us_dates_like_the_cta_file()
    {
        var frame = Frame(Read("service_date,rail\n01/30/2019,1\n01/31/2019,2\n02/01/2019,3\n"));
        Assert.Equal("2019-01-30", frame.Frequency.Format(frame.Series[0].Start));
        Assert.Equal(3, frame.Series[0].Length);
    }

    [Fact]
    public void Uses_an_explicit_date_format()
    {
        var frame = Frame(Read("d,v\n31.01.2019,1\n01.02.2019,2\n", new CsvUploadOptions(DateFormat: "dd.MM.yyyy")));
        Assert.Equal("2019-01-31", frame.Frequency.Format(frame.Series[0].Start));
    }

    [Fact]
    public void Names_line_column_value_and_format_of_an_unparseable_date()
    {
        var error = SingleError(Read("d,v\n31.01.2019,1\n2019-02-01,2\n", new CsvUploadOptions(DateFormat: "dd.MM.yyyy")));
        Assert.Equal("line 3, column d", error.Field);
        Assert.Contains("'2019-02-01'", error.Message);
        Assert.Contains("dd.MM.yyyy", error.Message);
    }

    [Fact]
    public void Handles_quoted_fields_with_commas_a_bom_and_crlf()
    {
        var csv = "\uFEFFdate,\"label, long\",rail\r\n2019-01-01,\"a, b\",\"1\"\r\n2019-01-02,\"c\",2\r\n";
        var result = CsvDatasetReader.Read(new MemoryStream(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(csv[1..])).ToArray()), new CsvUploadOptions());
        var frame = Frame(result);
        var label = frame.Column("label, long")!;
        Assert.Equal(ColumnKind.Categorical, label.Kind);
        Assert.Equal(["a, b", "c"], label.Categories);
        Assert.Equal([1, 2], frame.Series[0]["rail"]);
    }

    [Theory]
    [InlineData("2019-01-01T00:00:00,2019-01-01T01:00:00,2019-01-01T02:00:00", "H", "2019-01-01T01:00:00")]
    [InlineData("2019-01-07,2019-01-14,2019-01-21", "W", "2019-01-14")]
    [InlineData("2019-01-01,2019-02-01,2019-03-01", "M", "2019-02-01")]
    [InlineData("2019-01-01,2019-01-02,2019-01-03", "D", "2019-01-02")]
    public void Infers_the_frequency(string times, string code, string second)
    {
        var csv = "t,v\n" + string.Concat(times.Split(',').Select((t, i) => $"{t},{i}\n"));
        var frame = Frame(Read(csv));
        Assert.Equal(code, frame.Frequency.Code);
        Assert.Equal(second, frame.Frequency.Format(frame.Frequency.Add(frame.Series[0].Start, 1)));
        Assert.Equal(3, frame.Series[0].Length);
    }

    [Fact]
    public void Reads_integer_steps()
    {
        var frame = Frame(Read("step,value\n0,0.5\n1,0.25\n2,-1\n"));
        Assert.Same(Frequency.Steps, frame.Frequency);
        Assert.Equal(0, frame.Series[0].Start);
        Assert.Equal([0.5, 0.25, -1], frame.Series[0]["value"]);
    }

    [Fact]
    public void Splits_a_panel_by_the_series_column_and_sorts_each_series()
    {
        var frame = Frame(Read("id,t,v\nb,2,20\na,1,1\nb,1,10\na,0,0\na,2,2\n", new CsvUploadOptions(TimeColumn: "t", SeriesColumn: "id")));
        Assert.Equal(["b", "a"], frame.Series.Select(s => s.Id));
        Assert.Equal([10, 20], frame.Series[0]["v"]);
        Assert.Equal(1, frame.Series[0].Start);
        Assert.Equal([0, 1, 2], frame.Series[1]["v"]);
        Assert.Null(frame.Column("id"));
    }

    [Fact]
    public void The_default_time_column_skips_a_leading_series_column()
    {
        var frame = Frame(Read("id,date,v\na,2019-01-01,1\nb,2019-01-01,2\n", new CsvUploadOptions(SeriesColumn: "id")));
        Assert.Equal(["a", "b"], frame.Series.Select(s => s.Id));
        Assert.Equal(["v"], frame.Columns.Select(c => c.Name));
    }

    [Fact]
    public void Renames_columns_and_drops_before_detecting_duplicates()
    {
        // Rows 3 and 4 differ only in the dropped column: after dropping they are duplicates (the chapter's order).
        var csv = "a,b,c,d\n01/01/2019,W,1,9\n01/02/2019,U,2,8\n01/02/2019,U,2,7\n";
        var result = Read(csv, new CsvUploadOptions(ColumnNames: ["date", "day_type", "rail", "total"], DropColumns: ["total"]));
        var frame = Frame(result);
        Assert.Equal(1, result.DuplicatesDropped);
        Assert.Equal(["day_type", "rail"], frame.Columns.Select(c => c.Name));
        Assert.Equal([1, 2], frame.Series[0]["rail"]);
        Assert.Equal(["U", "W"], frame.Column("day_type")!.Categories);
        Assert.Equal([1, 0], frame.Series[0]["day_type"]);
    }

    [Fact]
    public void Drops_and_counts_exact_duplicate_rows_anywhere_in_the_file()
    {
        var result = Read("t,v\n2019-01-02,2\n2019-01-01,1\n2019-01-02,2\n2019-01-01,1\n2019-01-01,1\n");
        Assert.Equal(3, result.DuplicatesDropped);
        Assert.Equal([1, 2], Frame(result).Series[0]["v"]);
    }

    [Fact]
    public void Rejects_the_same_timestamp_with_different_values_naming_both_lines()
    {
        var error = SingleError(Read("t,v,w\n2019-01-01,1,5\n2019-01-02,2,5\n2019-01-02,2,6\n"));
        Assert.Equal("line 4, column w", error.Field);
        Assert.Contains("line 3", error.Message);
        Assert.Contains("2019-01-02", error.Message);
    }

    [Fact]
    public void Rejects_a_gap_naming_the_line_and_the_expected_timestamp()
    {
        var error = SingleError(Read("t,v\n2019-01-01,1\n2019-01-02,2\n2019-01-05,5\n"));
        Assert.Equal("line 4, column t", error.Field);
        Assert.Contains("expected 2019-01-03", error.Message);
        Assert.Contains("line 3", error.Message);
    }

    [Theory]
    [InlineData("ffill", new double[] { 1, 2, 2, 2, 5 })]
    [InlineData("interpolate", new double[] { 1, 2, 3, 4, 5 })]
    [InlineData("zero", new double[] { 1, 2, 0, 0, 5 })]
    public void Fills_gaps_when_a_policy_is_given(string policy, double[] expected)
    {
        var frame = Frame(Read("t,v\n2019-01-01,1\n2019-01-02,2\n2019-01-05,5\n", new CsvUploadOptions(FillPolicy: policy)));
        Assert.Equal(expected, frame.Series[0]["v"]);
    }

    [Fact]
    public void Fills_empty_cells_when_a_policy_is_given_and_rejects_them_otherwise()
    {
        const string csv = "t,v,kind\n1,1,a\n2,,\n3,3,b\n";
        var filled = Frame(Read(csv, new CsvUploadOptions(FillPolicy: "interpolate")));
        Assert.Equal([1, 2, 3], filled.Series[0]["v"]);
        Assert.Equal([0, 0, 1], filled.Series[0]["kind"]); // categorical holes are carried forward
        var rejected = Read(csv);
        Assert.Null(rejected.Frame);
        Assert.Equal(["line 3, column v", "line 3, column kind"], rejected.Errors.Select(e => e.Field));
    }

    [Fact]
    public void Rejects_a_non_numeric_cell_in_a_numeric_column_with_line_column_and_value()
    {
        var error = SingleError(Read("t,rail\n1,10\n2,12a\n3,14\n"));
        Assert.Equal("line 3, column rail", error.Field);
        Assert.Contains("'12a'", error.Message);
    }

    [Fact]
    public void A_mostly_text_column_is_categorical_and_can_be_forced()
    {
        var frame = Frame(Read("t,kind\n1,x\n2,1\n3,y\n"));
        Assert.Equal(["1", "x", "y"], frame.Column("kind")!.Categories);
        var forced = Frame(Read("t,code\n1,10\n2,20\n3,10\n", new CsvUploadOptions(CategoricalColumns: ["code"])));
        Assert.Equal(["10", "20"], forced.Column("code")!.Categories);
        Assert.Equal([0, 1, 0], forced.Series[0]["code"]);
    }

    [Fact]
    public void Rejects_ragged_rows()
    {
        var error = SingleError(Read("t,v\n1,1\n2,2,3\n3,3\n"));
        Assert.Equal("line 3", error.Field);
        Assert.Contains("3 fields", error.Message);
    }

    [Fact]
    public void Counts_lines_from_the_header_even_after_multi_line_quoted_fields()
    {
        // Record 2 spans lines 2-3 and a blank line follows: the bad cell is on physical line 5.
        var error = SingleError(Read("t,v,note\n1,1,\"two\nlines\"\n\n2,x,c\n3,3,d\n"));
        Assert.Equal("line 5, column v", error.Field);
    }

    [Theory]
    [InlineData("", "file", "empty")]
    [InlineData("t,v\n", "file", "no data rows")]
    [InlineData("t,t\n1,2\n", "header", "twice")]
    public void Rejects_files_without_usable_content(string csv, string field, string words)
    {
        var error = SingleError(Read(csv));
        Assert.Equal(field, error.Field);
        Assert.Contains(words, error.Message);
    }

    [Fact]
    public void Rejects_unknown_time_series_and_drop_columns()
    {
        Assert.Equal("timeColumn", SingleError(Read("t,v\n1,1\n", new CsvUploadOptions(TimeColumn: "date"))).Field);
        Assert.Equal("seriesColumn", SingleError(Read("t,v\n1,1\n", new CsvUploadOptions(SeriesColumn: "id"))).Field);
        Assert.Equal("dropColumns", SingleError(Read("t,v,w\n1,1,1\n", new CsvUploadOptions(DropColumns: ["x"]))).Field);
        Assert.Equal("columnNames", SingleError(Read("t,v\n1,1\n", new CsvUploadOptions(ColumnNames: ["a"]))).Field);
        Assert.Equal("fillPolicy", SingleError(Read("t,v\n1,1\n", new CsvUploadOptions(FillPolicy: "bfill"))).Field);
        Assert.Equal("frequency", SingleError(Read("t,v\n1,1\n", new CsvUploadOptions(Frequency: "2h"))).Field);
    }

    [Fact]
    public void Stops_after_twenty_errors()
    {
        var csv = "t,v\n" + string.Concat(Enumerable.Range(1, 100).Select(i => $"{i},x{i % 3 == 0}\n")) + string.Concat(Enumerable.Range(101, 100).Select(i => $"{i},{i}\n"));
        var result = Read(csv);
        Assert.Null(result.Frame);
        Assert.InRange(result.Errors.Count, 20, 21);
    }

    [Theory]
    [InlineData("2019-02-30")]
    [InlineData("2019-13-01")]
    [InlineData("02/30/2019")]
    [InlineData("2019-01-01T25:00:00")]
    public void Rejects_impossible_dates(string bad)
    {
        var error = SingleError(Read($"t,v\n{bad},1\n"));
        Assert.Equal("line 2, column t", error.Field);
        Assert.Contains($"'{bad}'", error.Message);
    }

    [Fact]
    public void Reads_hourly_times_with_a_space_and_iso_with_an_offset()
    {
        var frame = Frame(Read("t,v\n2019-01-01 13:00,1\n2019-01-01 14:00,2\n"));
        Assert.Same(Frequency.Hourly, frame.Frequency);
        Assert.Equal("2019-01-01T13:00:00", frame.Frequency.Format(frame.Series[0].Start));
        var offset = Frame(Read("t,v\n2019-01-01T14:00:00+01:00,1\n2019-01-01T15:00:00+01:00,2\n"));
        Assert.Equal("2019-01-01T13:00:00", offset.Frequency.Format(offset.Series[0].Start));
    }

    [Fact]
    public void Rejects_a_time_of_day_in_daily_data()
    {
        var error = SingleError(Read("t,v\n2019-01-01,1\n2019-01-02 12:00,2\n", new CsvUploadOptions(Frequency: "D")));
        Assert.Equal("line 3, column t", error.Field);
        Assert.Contains("daily", error.Message);
    }

    [Fact]
    public void Rejects_a_weekly_row_off_the_weekly_grid()
    {
        var error = SingleError(Read("t,v\n2019-01-07,1\n2019-01-14,2\n2019-01-16,3\n", new CsvUploadOptions(Frequency: "W")));
        Assert.Equal("line 4, column t", error.Field);
        Assert.Contains("expected 2019-01-21", error.Message);
    }

    [Fact]
    public void Trims_blanks_and_reads_NA_as_missing()
    {
        var frame = Frame(Read("t , v , kind\n 1 , 1.5 , a \n2,NA,b\n3, 3 ,a\n", new CsvUploadOptions(FillPolicy: "interpolate")));
        Assert.Equal(["v", "kind"], frame.Columns.Select(c => c.Name));
        Assert.Equal([1.5, 2.25, 3], frame.Series[0]["v"]);
        Assert.Equal(["a", "b"], frame.Column("kind")!.Categories);
    }

    [Fact]
    public void Needs_a_frequency_when_the_spacing_is_irregular()
    {
        var error = SingleError(Read("t,v\n2019-01-01,1\n2019-01-04,2\n2019-01-09,3\n"));
        Assert.Equal("frequency", error.Field);
    }

    [Fact]
    public void Reads_month_ends_named_M_as_month_ends_and_mid_month_dates_as_their_months()
    {
        // M names the spacing (pandas writes it for month ends, this API for starts): the stamps say which.
        var frame = Frame(Read("t,v\n2019-01-31,1\n2019-02-28,2\n2019-03-31,3\n", new CsvUploadOptions(Frequency: "M")));
        Assert.Same(Frequency.MonthEnd, frame.Frequency);
        Assert.Equal("2019-01-31", frame.Frequency.Format(frame.Series[0].Start));
        Assert.Equal(3, frame.Series[0].Length);
        var mid = Frame(Read("t,v\n2019-01-15,1\n2019-02-15,2\n", new CsvUploadOptions(Frequency: "M")));
        Assert.Same(Frequency.Monthly, mid.Frequency);
        Assert.Equal("2019-01-01", mid.Frequency.Format(mid.Series[0].Start));
        var named = Frame(Read("t,v\n2019-01-15,1\n2019-02-15,2\n", new CsvUploadOptions(Frequency: "ME")));
        Assert.Equal("2019-02-28", named.Frequency.Format(named.Frequency.Add(named.Series[0].Start, 1)));
    }

    [Fact]
    public void Rejects_a_calendar_frequency_for_step_numbers()
    {
        var result = Read("t,v\n1,1\n2,2\n", new CsvUploadOptions(Frequency: "D"));
        Assert.Equal(["line 2, column t", "line 3, column t"], result.Errors.Select(e => e.Field));
    }

    [Fact]
    public void Reports_malformed_quoting_by_line()
    {
        var result = Read("t,v\n1,1\n2,\"2\"x\n3,3\n");
        Assert.Null(result.Frame);
        Assert.Equal("line 3", result.Errors[0].Field);
        Assert.Contains("quoting", result.Errors[0].Message);
    }
}
