using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Forecasting.Api.Tests.Infrastructure;

namespace Forecasting.Api.Tests;

public sealed class DatasetEndpointTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Uploaded_data_reads_back_as_JSON_and_CSV()
    {
        var client = factory.CreateClient();
        var created = await client.PostAsJsonAsync("/api/datasets", new
        {
            name = "tiny",
            frequency = "D",
            series = new[] { new { id = "a", start = "2021-03-01", columns = new Dictionary<string, object> { ["rail"] = new[] { 1.5, 2.5, 3.5 }, ["day_type"] = new[] { "W", "A", "W" } } } },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var summary = await created.ReadJsonAsync();
        Assert.Equal($"/api/datasets/{summary.Id()}", created.Headers.Location?.OriginalString);
        Assert.Equal(3, summary.GetProperty("rows").GetInt64());
        var series = summary.GetProperty("series")[0];
        Assert.Equal("2021-03-01", series.GetProperty("start").GetString());
        Assert.Equal("2021-03-03", series.GetProperty("end").GetString());
        var dayType = summary.GetProperty("columns").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "day_type");
        Assert.Equal("categorical", dayType.GetProperty("kind").GetString());

        var data = await (await client.GetAsync($"/api/datasets/{summary.Id()}/data?from=2021-03-02")).ReadJsonAsync();
        var columns = data.GetProperty("series")[0].GetProperty("columns");
        Assert.Equal([2.5, 3.5], columns.GetProperty("rail").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal(["A", "W"], columns.GetProperty("day_type").EnumerateArray().Select(v => v.GetString()));

        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/datasets/{summary.Id()}/data?columns=rail");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        var csv = await (await client.SendAsync(request)).Content.ReadAsStringAsync();
        Assert.Equal("series,timestamp,rail\na,2021-03-01,1.5\na,2021-03-02,2.5\na,2021-03-03,3.5\n", csv.Replace("\r\n", "\n"));

        var listed = await (await client.GetAsync("/api/datasets")).ReadJsonAsync();
        Assert.Contains(listed.EnumerateArray(), d => d.Id() == summary.Id());
    }

    [Fact]
    public async Task Appending_ignores_equal_rows_adds_new_ones_and_refuses_conflicts()
    {
        var client = factory.CreateClient();
        var id = (await TestDatasets.UploadDailyAsync(client, days: 10, name: "append")).Id();
        var data = await (await client.GetAsync($"/api/datasets/{id}/data")).ReadJsonAsync();
        var last = data.GetProperty("series")[0].GetProperty("columns").GetProperty("value")[9].GetDouble();

        var appended = await client.PostAsJsonAsync($"/api/datasets/{id}/observations", new
        {
            series = new[] { new { id = "s1", start = "2020-01-10", columns = new Dictionary<string, object> { ["value"] = new[] { last, 7.0 }, ["day_type"] = new[] { "W", "A" } } } },
        });
        var body = await appended.ReadJsonAsync();
        Assert.True(appended.StatusCode == HttpStatusCode.OK, body.ToString());
        Assert.Equal(1, body.GetProperty("added").GetInt32());
        Assert.Equal(1, body.GetProperty("ignored").GetInt32());
        Assert.Equal(11, body.GetProperty("dataset").GetProperty("rows").GetInt64());

        var conflict = await client.PostAsJsonAsync($"/api/datasets/{id}/observations", new
        {
            series = new[] { new { id = "s1", start = "2020-01-11", columns = new Dictionary<string, object> { ["value"] = new[] { 8.0, 9.0 }, ["day_type"] = new[] { "A", "W" } } } },
        });
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Contains("2020-01-11", await conflict.Content.ReadAsStringAsync());
        var after = await (await client.GetAsync($"/api/datasets/{id}")).ReadJsonAsync();
        Assert.Equal(11, after.GetProperty("rows").GetInt64());
    }

    [Fact]
    public async Task A_csv_append_of_one_row_uses_the_datasets_frequency_and_categories()
    {
        var client = factory.CreateClient();
        var id = (await TestDatasets.UploadDailyAsync(client, days: 10, name: "csv-append")).Id();
        using var form = new MultipartFormDataContent
        {
            { new StringContent("date,value,day_type\n2020-01-11,7.5,A\n", System.Text.Encoding.UTF8, "text/csv"), "file", "new.csv" },
        };
        var response = await client.PostAsync($"/api/datasets/{id}/observations", form);
        var body = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        Assert.Equal(1, body.GetProperty("added").GetInt32());
        var data = await (await client.GetAsync($"/api/datasets/{id}/data?from=2020-01-11")).ReadJsonAsync();
        var columns = data.GetProperty("series")[0].GetProperty("columns");
        Assert.Equal(7.5, columns.GetProperty("value")[0].GetDouble());
        Assert.Equal("A", columns.GetProperty("day_type")[0].GetString());
    }

    [Fact]
    public async Task Synthetic_dataset_has_the_requested_shape_and_is_reproducible()
    {
        var client = factory.CreateClient();
        var first = await (await client.PostAsJsonAsync("/api/datasets/synthetic", new { count = 20, steps = 50, seed = 7 })).ReadJsonAsync();
        Assert.Equal("synthetic-20x50-seed7", first.GetProperty("name").GetString()); // named after its settings when unnamed
        var second = await (await client.PostAsJsonAsync("/api/datasets/synthetic", new { name = "syn2", count = 20, steps = 50, seed = 7 })).ReadJsonAsync();
        Assert.Equal("steps", first.GetProperty("frequency").GetString());
        Assert.Equal(20, first.GetProperty("series").GetArrayLength());
        Assert.Equal(1000, first.GetProperty("rows").GetInt64());
        var a = await (await client.GetAsync($"/api/datasets/{first.Id()}/data?series=3")).Content.ReadAsStringAsync();
        var b = await (await client.GetAsync($"/api/datasets/{second.Id()}/data?series=3")).Content.ReadAsStringAsync();
        Assert.Equal(a, b);
    }

    [Fact]
    public async Task Deleting_a_dataset_in_use_is_refused_then_allowed()
    {
        await using var queueOnly = ApiFactory.With(new() { ["role"] = "api" });
        var client = queueOnly.CreateClient();
        var id = (await TestDatasets.UploadDailyAsync(client, days: 30, name: "in-use")).Id();
        var queued = await (await client.PostAsJsonAsync("/api/training-runs", new { datasetId = id, targets = new[] { "value" }, split = new { trainFrom = "2020-01-01", trainTo = "2020-01-20" }, model = new { kind = "naive" } })).ReadJsonAsync();
        var refused = await client.DeleteAsync($"/api/datasets/{id}");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync($"/api/training-runs/{queued.Id()}/cancel", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/datasets/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/datasets/{id}")).StatusCode);
    }
}
