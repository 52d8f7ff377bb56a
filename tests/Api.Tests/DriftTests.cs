using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Forecasting.Api.Ledger;
using Forecasting.Api.Tests.Infrastructure;
using Forecasting.Persistence.Entities;
using Forecasting.Tests.Shared;

namespace Forecasting.Api.Tests;

/// <summary>
/// Drift rules on a forecaster's live errors: an event once per crossing (not on every batch above the threshold),
/// re-armed when the statistic falls back; retrain fires the forecaster's schedule; bad declarations are 400s.
/// </summary>
public sealed class DriftTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private const int Days = 100; // 2020-01-01 … 2020-04-09

    private static double Truth(int t) => 100 + 20 * Math.Sin(2 * Math.PI * t / 7) + 3 * Math.Sin(1.7 * t);

    private static string DateOf(int t) => new DateTime(2020, 1, 1).AddDays(t).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static async Task<string> UploadAsync(HttpClient client, string name)
    {
        var response = await client.PostAsJsonAsync("/api/datasets", new
        {
            name, frequency = "D",
            series = new[] { new { id = "s1", start = "2020-01-01", columns = new Dictionary<string, object> { ["value"] = Enumerable.Range(0, Days).Select(Truth).ToArray() } } },
        });
        var body = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body.ToString());
        return body.Id();
    }

    private static object TrainingRun(string datasetId) => new
    {
        datasetId, targets = new[] { "value" }, horizon = 7, model = new { kind = "naive" },
        split = new { trainFrom = "2020-01-01", trainTo = "2020-03-10", validFrom = "2020-03-11" },
    };

    /// <summary>Forecasts 7 days through the forecaster, then appends those 7 days at the forecast mean plus <paramref name="offset"/>; returns the append's answer.</summary>
    private static async Task<JsonElement> RoundAsync(HttpClient client, string name, string datasetId, double offset)
    {
        var forecast = await client.PostAsJsonAsync($"/api/forecasters/{name}/forecast", new { horizon = 7 });
        var body = await forecast.ReadJsonAsync();
        Assert.True(forecast.StatusCode == HttpStatusCode.OK, body.ToString());
        var points = body.GetProperty("points").EnumerateArray().ToList();
        var values = points.Select(p => p.GetProperty("values").GetProperty("value").GetProperty("mean").GetDouble() + offset).ToArray();
        var appended = await client.PostAsJsonAsync($"/api/datasets/{datasetId}/observations", new
        {
            series = new[] { new { id = "s1", start = points[0].GetProperty("timestamp").GetString(), columns = new Dictionary<string, object> { ["value"] = values } } },
        });
        var answer = await appended.ReadJsonAsync();
        Assert.True(appended.StatusCode == HttpStatusCode.OK, answer.ToString());
        Assert.Equal(7, answer.GetProperty("scored").GetInt32());
        return answer;
    }

    [Fact]
    public Task An_error_ratio_rule_writes_one_event_per_crossing_and_rearms_when_the_errors_fall_back() => ErrorRatioScenarioAsync(factory.CreateClient());

    [PostgresFact]
    public async Task On_PostgreSQL_an_error_ratio_rule_writes_one_event_per_crossing_and_rearms()
    {
        await using var postgres = await PrivatePostgres.StartAsync();
        var connection = await postgres.CreateDatabaseAsync("drift");
        await using var onPostgres = ApiFactory.With(new() { ["Database:Provider"] = "postgres", ["ConnectionStrings:Forecasting"] = connection });
        await ErrorRatioScenarioAsync(onPostgres.CreateClient());
    }

    private static async Task ErrorRatioScenarioAsync(HttpClient client)
    {
        var datasetId = await UploadAsync(client, "drift-ratio");
        var model = await client.TrainAsync(TrainingRun(datasetId));
        var validationMae = model.GetProperty("metrics").GetProperty("validation").GetProperty("mae").GetDouble();
        var created = await client.PostAsJsonAsync("/api/forecasters", new
        {
            name = "drift-ratio", modelId = model.Id(), drift = new { rule = "errorRatio", window = 7, threshold = 1.5, onDrift = "notify" },
        });
        var forecaster = await created.ReadJsonAsync();
        Assert.True(created.StatusCode == HttpStatusCode.Created, forecaster.ToString());
        Assert.Equal("errorRatio", forecaster.GetProperty("drift").GetProperty("rule").GetString());

        // Errors of 0.5 × the validation MAE: below the threshold. Then 10 ×: a crossing, once, though the next batch is as bad.
        Assert.Equal(0, (await RoundAsync(client, "drift-ratio", datasetId, 0.5 * validationMae)).GetProperty("driftEvents").GetInt32());
        Assert.Equal(1, (await RoundAsync(client, "drift-ratio", datasetId, 10 * validationMae)).GetProperty("driftEvents").GetInt32());
        Assert.Equal(0, (await RoundAsync(client, "drift-ratio", datasetId, -10 * validationMae)).GetProperty("driftEvents").GetInt32());
        Assert.True((await (await client.GetAsync("/api/forecasters/drift-ratio")).ReadJsonAsync()).GetProperty("drift").GetProperty("firing").GetBoolean());
        // Back to exact forecasts: the window's ratio is 0, the rule re-arms, and the next bad batch is a second crossing.
        Assert.Equal(0, (await RoundAsync(client, "drift-ratio", datasetId, 0)).GetProperty("driftEvents").GetInt32());
        Assert.False((await (await client.GetAsync("/api/forecasters/drift-ratio")).ReadJsonAsync()).GetProperty("drift").GetProperty("firing").GetBoolean());
        Assert.Equal(1, (await RoundAsync(client, "drift-ratio", datasetId, 3 * validationMae)).GetProperty("driftEvents").GetInt32());

        var events = (await (await client.GetAsync("/api/forecasters/drift-ratio/events")).ReadJsonAsync()).EnumerateArray().ToList();
        Assert.Equal(2, events.Count);
        // Newest first: the window's mean |error| / validation MAE, exactly the offsets used (3, then 10).
        Assert.Equal(3, events[0].GetProperty("statistic").GetDouble(), 9);
        Assert.Equal(10, events[1].GetProperty("statistic").GetDouble(), 9);
        Assert.All(events, e =>
        {
            Assert.Equal("errorRatio", e.GetProperty("rule").GetString());
            Assert.Equal("notify", e.GetProperty("onDrift").GetString());
            Assert.Equal(model.Id(), e.GetProperty("modelId").GetString());
            Assert.False(e.TryGetProperty("retrainRunId", out _));
        });
    }

    [Fact]
    public async Task A_cusum_rule_with_retrain_fires_the_forecasters_schedule()
    {
        var client = factory.CreateClient();
        var datasetId = await UploadAsync(client, "drift-cusum");
        var schedule = await (await client.PostAsJsonAsync("/api/schedules", new { cron = "0 0 3 1 1 ?", trainingRun = TrainingRun(datasetId) })).ReadJsonAsync();
        var first = await (await client.PostAsync($"/api/schedules/{schedule.Id()}/trigger", null)).ReadJsonAsync();
        var firstRun = await client.WaitForRunAsync(first.Id());
        Assert.Equal("succeeded", firstRun.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/forecasters", new { name = "drift-cusum", scheduleId = schedule.Id() })).StatusCode);
        var set = await client.PutAsJsonAsync("/api/forecasters/drift-cusum/drift", new { rule = "cusum", window = 7, threshold = 5, onDrift = "retrain" });
        Assert.True(set.StatusCode == HttpStatusCode.OK, (await set.ReadJsonAsync()).ToString());
        var validationMae = (await (await client.GetAsync($"/api/models/{firstRun.GetProperty("modelId").GetString()}")).ReadJsonAsync())
            .GetProperty("metrics").GetProperty("validation").GetProperty("mae").GetDouble();

        // zᵢ = 1.2 stays under the allowance (S stays 0); zᵢ = 3 adds 1.5 a step: 10.5 after 7, above 5.
        Assert.Equal(0, (await RoundAsync(client, "drift-cusum", datasetId, 1.2 * validationMae)).GetProperty("driftEvents").GetInt32());
        Assert.Equal(1, (await RoundAsync(client, "drift-cusum", datasetId, 3 * validationMae)).GetProperty("driftEvents").GetInt32());
        var drift = Assert.Single((await (await client.GetAsync("/api/forecasters/drift-cusum/events")).ReadJsonAsync()).EnumerateArray());
        Assert.Equal(7 * (3 - 1 - DriftCheck.CusumAllowance), drift.GetProperty("statistic").GetDouble(), 9);
        var runId = drift.GetProperty("retrainRunId").GetString()!;
        var run = await client.WaitForRunAsync(runId);
        Assert.Equal(schedule.Id(), run.GetProperty("scheduleId").GetString());
        Assert.Equal("succeeded", run.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Bad_drift_declarations_are_400s_naming_the_field()
    {
        var client = factory.CreateClient();
        var datasetId = await UploadAsync(client, "drift-bad");
        var model = (await client.TrainAsync(TrainingRun(datasetId))).Id();
        async Task<JsonElement> RefusedAsync(object drift)
        {
            var response = await client.PostAsJsonAsync("/api/forecasters", new { name = "drift-bad", modelId = model, drift });
            var body = await response.ReadJsonAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, body.ToString());
            return body.GetProperty("errors");
        }
        Assert.Contains("schedule", (await RefusedAsync(new { rule = "cusum", window = 7, threshold = 5, onDrift = "retrain" })).GetProperty("drift.onDrift")[0].GetString());
        var bounds = await RefusedAsync(new { rule = "errorRatio", window = 0, threshold = -1, onDrift = "notify" });
        Assert.True(bounds.TryGetProperty("drift.window", out _) && bounds.TryGetProperty("drift.threshold", out _), bounds.ToString());
        Assert.Contains("'errorRatio', 'cusum'", (await RefusedAsync(new { rule = "ratio", window = 7, threshold = 2, onDrift = "notify" })).GetProperty("drift.rule")[0].GetString());
        Assert.Contains("'notify', 'retrain'", (await RefusedAsync(new { rule = "cusum", window = 7, threshold = 2, onDrift = "email" })).GetProperty("drift.onDrift")[0].GetString());

        // A model without a validation period has no MAE to scale the errors by.
        var unvalidated = (await client.TrainAsync(new { datasetId, targets = new[] { "value" }, horizon = 7, model = new { kind = "naive" } })).Id();
        var response = await client.PostAsJsonAsync("/api/forecasters", new { name = "drift-bad", modelId = unvalidated, drift = new { rule = "cusum", window = 7, threshold = 5, onDrift = "notify" } });
        var body = await response.ReadJsonAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("validation", body.GetProperty("errors").GetProperty("drift.rule")[0].GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/forecasters/drift-bad")).StatusCode);
    }

    [Fact]
    public void The_statistics_are_the_mean_scaled_error_and_the_upper_cusum_with_allowance_one_half()
    {
        double[] scaled = [1, 3, 3, 0.2, 2];
        Assert.Equal(1.84, DriftCheck.Statistic(DriftStatistic.ErrorRatio, scaled), 12);
        // S: max(0, 1 − 1.5) = 0; 0 + 3 − 1.5 = 1.5; 1.5 + 1.5 = 3; max(0, 3 + 0.2 − 1.5) = 1.7; 1.7 + 2 − 1.5 = 2.2.
        Assert.Equal(2.2, DriftCheck.Statistic(DriftStatistic.Cusum, scaled), 12);
    }
}
