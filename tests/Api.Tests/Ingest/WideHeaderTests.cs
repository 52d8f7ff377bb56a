using System.Net;
using System.Text;
using Forecasting.Api.Datasets.Ingest;
using Forecasting.Api.Http;
using Forecasting.Api.Tests.Infrastructure;

namespace Forecasting.Api.Tests.Ingest;

/// <summary>
/// A header beyond Limits:MaxColumns is refused from the header alone: the rows behind it are never read and no
/// column buffers are built (a 100,000-column file took the process from 305 MB to 1,121 MB before its 400).
/// </summary>
public sealed class WideHeaderTests
{
    [Fact]
    public void A_header_of_100000_columns_is_refused_after_reading_a_fraction_of_it()
    {
        var header = "date," + string.Join(",", Enumerable.Range(0, 100_000).Select(i => $"c{i}"));
        var (result, read, allocated) = ReadCounting(header, rows: 20);
        var error = Assert.Single(result.Errors);
        Assert.Equal("columns", error.Field);
        Assert.Contains("Limits:MaxColumns", error.Message);
        Assert.True(read < 512 * 1024, $"{read:N0} bytes read of a {header.Length:N0}-character header");
        Assert.True(allocated < 8 * 1024 * 1024, $"{allocated:N0} bytes allocated");
    }

    [Theory]
    [InlineData(1_001, "The file has 1,001 value columns; at most 1,000 are accepted (Limits:MaxColumns).")]
    [InlineData(1_500, "The header has 1,501 columns; at most 1,000 value columns are accepted besides the time and series columns (Limits:MaxColumns).")]
    public void A_header_over_the_cap_is_refused_without_reading_the_rows(int valueColumns, string message)
    {
        var header = "date," + string.Join(",", Enumerable.Range(0, valueColumns).Select(i => $"c{i}"));
        var (result, read, allocated) = ReadCounting(header, rows: 2_000);
        var error = Assert.Single(result.Errors);
        Assert.Equal("columns", error.Field);
        Assert.Equal(message, error.Message);
        Assert.True(read < header.Length + 128 * 1024, $"{read:N0} bytes read; the header is {header.Length:N0}");
        Assert.True(allocated < 4 * 1024 * 1024, $"{allocated:N0} bytes allocated");
    }

    [Fact]
    public void Dropped_columns_bring_a_wide_header_under_the_cap()
    {
        var limits = new Limits { MaxColumns = 2 };
        var options = new CsvUploadOptions(DropColumns: ["b"]);
        var result = CsvDatasetReader.Read(new MemoryStream("date,a,b,c\n2020-01-01,1,2,3\n2020-01-02,1,2,3\n"u8.ToArray()), options, limits);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Message)));
        var wider = CsvDatasetReader.Read(new MemoryStream("date,a,b,c,d\n2020-01-01,1,2,3,4\n"u8.ToArray()), options, limits);
        Assert.Equal("The file has 3 value columns; at most 2 are accepted (Limits:MaxColumns).", Assert.Single(wider.Errors).Message);
    }

    [Fact]
    public async Task The_upload_endpoint_answers_400_naming_the_cap()
    {
        using var factory = new ApiFactory();
        var header = "date," + string.Join(",", Enumerable.Range(0, 100_000).Select(i => $"c{i}"));
        using var form = new MultipartFormDataContent
        {
            { new StringContent("wide"), "name" },
            { new StringContent(header + "\n2020-01-01" + string.Concat(Enumerable.Repeat(",1", 100_000)) + "\n"), "file", "wide.csv" },
        };
        var response = await factory.CreateClient().PostAsync("/api/datasets", form);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Limits:MaxColumns", await response.Content.ReadAsStringAsync());
    }

    private static (IngestResult Result, long BytesRead, long Allocated) ReadCounting(string header, int rows)
    {
        var row = "2020-01-01" + string.Concat(Enumerable.Repeat(",1", header.Count(c => c == ',')));
        var csv = new StringBuilder(header).Append('\n');
        for (var i = 0; i < rows; i++) csv.Append(row).Append('\n');
        using var stream = new CountingStream(Encoding.UTF8.GetBytes(csv.ToString()));
        var before = GC.GetAllocatedBytesForCurrentThread();
        var result = CsvDatasetReader.Read(stream, new CsvUploadOptions(), new Limits());
        return (result, stream.BytesRead, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private sealed class CountingStream(byte[] bytes) : MemoryStream(bytes)
    {
        public long BytesRead { get; private set; }

        public override int Read(byte[] buffer, int offset, int count) => Counted(base.Read(buffer, offset, count));
        public override int Read(Span<byte> buffer) => Counted(base.Read(buffer));
        private int Counted(int read)
        {
            BytesRead += read;
            return read;
        }
    }
}
