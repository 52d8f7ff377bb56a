using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Forecasting.Tests.Shared;

namespace Forecasting.Api.Tests.Infrastructure;

/// <summary>Datasets the API tests upload: the chapter's CTA file, and small generated ones.</summary>
public static class TestDatasets
{
    /// <summary>Uploads the CTA file as the chapter prepares it: renamed columns, total dropped, duplicates dropped.</summary>
    public static async Task<JsonElement> UploadCtaAsync(HttpClient client)
    {
        using var form = new MultipartFormDataContent();
        var file = new StreamContent(File.OpenRead(CtaData.RequiredPath));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", "cta_ridership.csv");
        form.Add(new StringContent("cta"), "name");
        form.Add(new StringContent("date,day_type,bus,rail,total"), "columnNames");
        form.Add(new StringContent("total"), "dropColumns");
        var response = await client.PostAsync("/api/datasets", form);
        var body = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"CTA upload failed: {body}");
        return body;
    }

    /// <summary>A daily series with a weekly pattern plus noise, as JSON: { value } starting 2020-01-01.</summary>
    public static async Task<JsonElement> UploadDailyAsync(HttpClient client, int days = 200, int seed = 1, string name = "daily")
    {
        var random = new Random(seed);
        var values = Enumerable.Range(0, days).Select(t => 100 + 20 * Math.Sin(2 * Math.PI * t / 7) + 0.1 * t + random.NextDouble() * 4).ToArray();
        var dayType = Enumerable.Range(0, days).Select(t => t % 7 is 5 or 6 ? "A" : "W").ToArray();
        var response = await client.PostAsJsonAsync("/api/datasets", new
        {
            name,
            frequency = "D",
            series = new[] { new { id = "s1", start = "2020-01-01", columns = new Dictionary<string, object> { ["value"] = values, ["day_type"] = dayType } } },
        });
        var body = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"upload failed: {body}");
        return body;
    }

    /// <summary>Uploads one daily series "s1" of a "value" column from <paramref name="start"/>; asserts 201 and returns the dataset's id.</summary>
    public static async Task<string> UploadSeriesAsync(HttpClient client, string name, string start, double[] values)
    {
        var response = await client.PostAsJsonAsync("/api/datasets", new
        {
            name, frequency = "D",
            series = new[] { new { id = "s1", start, columns = new Dictionary<string, object> { ["value"] = values } } },
        });
        var body = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, body.ToString());
        return body.Id();
    }

    public static string Id(this JsonElement created) => created.GetProperty("id").GetString()!;
}
