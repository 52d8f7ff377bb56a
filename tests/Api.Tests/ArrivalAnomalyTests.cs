using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Forecasting.Api.Tests.Infrastructure;
using Forecasting.Tests.Shared;

namespace Forecasting.Api.Tests;

/// <summary>
/// Anomalies on arrival (issue 19): an append with <c>check=&lt;forecaster&gt;</c> judges its new observations one step ahead
/// with the forecaster's model, answers the flagged ones and records them in the append's transaction; they are listed
/// at GET /api/forecasters/{name}/anomalies, and equal what POST /api/models/{id}/anomalies says of the same days.
/// </summary>
public sealed class ArrivalAnomalyTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private static double Truth(int t) => 100 + 20 * Math.Sin(2 * Math.PI * t / 7) + 2 * Math.Sin(1.7 * t);

    private static string DateOf(int t) => new DateTime(2020, 1, 1).AddDays(t).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static MultipartFormDataContent Csv(int from, int to, IReadOnlyDictionary<int, double> spikes)
    {
        var csv = new StringBuilder("date,visits\n");
        for (var t = from; t < to; t++)
            csv.Append(DateOf(t)).Append(',').Append((Truth(t) + spikes.GetValueOrDefault(t)).ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        return new MultipartFormDataContent { { new StringContent(csv.ToString(), Encoding.UTF8, "text/csv"), "file", "visits.csv" } };
    }

    [Fact]
    public async Task New_observations_are_judged_by_the_forecasters_model_and_the_flags_recorded()
    {
        await ScenarioAsync(factory.CreateClient(), "arrival");
    }

    [PostgresFact]
    public async Task On_PostgreSQL_the_flags_are_recorded_with_the_append()
    {
        await using var postgres = await PrivatePostgres.StartAsync();
        var connection = await postgres.CreateDatabaseAsync("arrival");
        await using var onPostgres = ApiFactory.With(new() { ["Database:Provider"] = "postgres", ["ConnectionStrings:Forecasting"] = connection });
        await ScenarioAsync(onPostgres.CreateClient(), "arrival-pg");
    }

    private static async Task ScenarioAsync(HttpClient client, string name)
    {
        var created = await (await client.PostAsync("/api/datasets", Csv(0, 100, new Dictionary<int, double>()))).ReadJsonAsync();
        var datasetId = created.Id();
        var model = await client.TrainAsync(new
        {
            datasetId, targets = new[] { "visits" }, horizon = 1, model = new { kind = "seasonal_naive", season = 7 },
            split = new { trainTo = DateOf(69), validFrom = DateOf(70) },
        });
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/forecasters", new { name, modelId = model.Id() })).StatusCode);

        // Two weeks arrive with a spike on day 105 and a dip on day 110.
        var appended = await client.PostAsync($"/api/datasets/{datasetId}/observations?check={name}&level=99", Csv(100, 114, new Dictionary<int, double> { [105] = 40, [110] = -40 }));
        var answer = await appended.ReadJsonAsync();
        Assert.True(appended.StatusCode == HttpStatusCode.OK, answer.ToString());
        var anomalies = answer.GetProperty("anomalies");
        Assert.Equal(name, anomalies.GetProperty("forecaster").GetString());
        Assert.Equal(model.Id(), anomalies.GetProperty("modelId").GetString());
        Assert.Equal(14, anomalies.GetProperty("observations").GetInt32());
        var flagged = anomalies.GetProperty("flagged").EnumerateArray().Select(p => p.GetProperty("timestamp").GetString()).ToList();
        Assert.Contains(DateOf(105), flagged);
        Assert.Contains(DateOf(110), flagged);

        // The same days judged afterwards over the stored data flag the same observations.
        var judged = await (await client.PostAsJsonAsync($"/api/models/{model.Id()}/anomalies", new { from = DateOf(100), level = 99 })).ReadJsonAsync();
        var stored = judged.GetProperty("points").EnumerateArray().Where(p => p.GetProperty("anomaly").GetProperty("99").GetBoolean())
            .Select(p => p.GetProperty("timestamp").GetString()).ToList();
        Assert.Equal(stored, flagged);

        // Recorded with the append, newest first.
        var listed = await client.GetFromJsonAsync<JsonElement>($"/api/forecasters/{name}/anomalies");
        Assert.Equal(flagged.AsEnumerable().Reverse(), listed.EnumerateArray().Select(f => f.GetProperty("timestamp").GetString()));
        var spike = listed.EnumerateArray().Single(f => f.GetProperty("timestamp").GetString() == DateOf(105));
        Assert.Equal(Truth(105) + 40, spike.GetProperty("actual").GetDouble(), 9);
        Assert.Equal(99, spike.GetProperty("level").GetDouble());
        Assert.True(spike.GetProperty("actual").GetDouble() > spike.GetProperty("upper").GetDouble());

        // An append without check records nothing more; repeated rows judge nothing new.
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/datasets/{datasetId}/observations", Csv(114, 116, new Dictionary<int, double> { [115] = 60 }))).StatusCode);
        var again = await (await client.PostAsync($"/api/datasets/{datasetId}/observations?check={name}", Csv(110, 116, new Dictionary<int, double> { [110] = -40, [115] = 60 }))).ReadJsonAsync();
        Assert.Equal(0, again.GetProperty("added").GetInt32());
        Assert.False(again.TryGetProperty("anomalies", out _));
        Assert.Equal(flagged.Count, (await client.GetFromJsonAsync<JsonElement>($"/api/forecasters/{name}/anomalies")).GetArrayLength());
    }

    [Theory]
    [InlineData("?check=nobody", "check", "There is no forecaster named 'nobody'.")]
    [InlineData("?check={name}&level=0.99", "level", "Levels are percentages")]
    [InlineData("?check={name}&level=100", "level", "strictly between 0 and 100")]
    [InlineData("?level=99", "level", "name the forecaster in check")]
    public async Task A_bad_check_is_a_400_and_nothing_is_written(string query, string field, string message)
    {
        var client = factory.CreateClient();
        var datasetId = (await (await client.PostAsync("/api/datasets", Csv(0, 60, new Dictionary<int, double>()))).ReadJsonAsync()).Id();
        var model = await client.TrainAsync(new
        {
            datasetId, targets = new[] { "visits" }, horizon = 1, model = new { kind = "seasonal_naive", season = 7 }, split = new { trainTo = DateOf(49) },
        });
        var name = $"arrival-{Guid.NewGuid():N}";
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/forecasters", new { name, modelId = model.Id() })).StatusCode);
        var response = await client.PostAsync($"/api/datasets/{datasetId}/observations{query.Replace("{name}", name)}", Csv(60, 62, new Dictionary<int, double>()));
        var body = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, body.ToString());
        Assert.True(body.GetProperty("errors").TryGetProperty(field, out var messages), body.ToString());
        Assert.Contains(message, messages[0].GetString());
        var dataset = await client.GetFromJsonAsync<JsonElement>($"/api/datasets/{datasetId}");
        Assert.Equal(60, dataset.GetProperty("series")[0].GetProperty("length").GetInt32());
    }
}
