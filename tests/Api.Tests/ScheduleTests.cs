using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Forecasting.Api.Jobs;
using Forecasting.Api.Schedules;
using Forecasting.Api.Tests.Infrastructure;
using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Forecasting.Api.Tests;

/// <summary>Schedules through HTTP: validation, a recurring job per schedule, firing on the newest data with a shifted split, promotion, delete.</summary>
public sealed class ScheduleTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private static object TrainingRun(string datasetId) => new
    {
        datasetId, targets = new[] { "value" }, model = new { kind = "naive" },
        split = new { trainFrom = "2020-01-01", trainTo = "2020-03-10", validFrom = "2020-03-11", validTo = "2020-04-09" },
    };

    [Fact]
    public async Task A_schedule_with_a_valid_cron_is_created_with_its_next_fire_time_and_listed()
    {
        var client = factory.CreateClient();
        var id = (await TestDatasets.UploadDailyAsync(client, days: 100, name: "schedule-create")).Id();
        var response = await client.PostAsJsonAsync("/api/schedules", new { cron = "0 0 3 * * ?", trainingRun = TrainingRun(id), timeZone = "Europe/Paris" });
        var body = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body.ToString());
        Assert.Equal($"/api/schedules/{body.Id()}", response.Headers.Location?.OriginalString);
        Assert.Equal("if_better", body.GetProperty("promote").GetString());
        Assert.Equal("Europe/Paris", body.GetProperty("timeZone").GetString());
        var next = body.GetProperty("nextFireAt").GetDateTimeOffset();
        Assert.True(next > DateTimeOffset.UtcNow && next <= DateTimeOffset.UtcNow.AddDays(1).AddHours(1), $"nextFireAt {next}");

        var fetched = await (await client.GetAsync($"/api/schedules/{body.Id()}")).ReadJsonAsync();
        Assert.Equal("0 0 3 * * ?", fetched.GetProperty("cron").GetString());
        Assert.Equal(next, fetched.GetProperty("nextFireAt").GetDateTimeOffset());
        Assert.True(IsMissing(fetched, "activeModelId"));
        Assert.Empty(fetched.GetProperty("recentRuns").EnumerateArray());
        var list = await (await client.GetAsync("/api/schedules")).ReadJsonAsync();
        Assert.Contains(list.EnumerateArray(), s => s.Id() == body.Id());
        Assert.True(await ExistsAsync(Guid.Parse(body.Id())));
    }

    [Theory]
    [InlineData("0 3 * * * * * *")]
    [InlineData("0 0 25 * * ?")]
    [InlineData("0 0 3 * * ? 2030")]
    [InlineData("not a cron")]
    [InlineData("0 0 3 ? * 99999999999")] // a Quartz day number too large for an int was a 500
    public async Task A_bad_cron_is_a_400_naming_cron(string cron)
    {
        var client = factory.CreateClient();
        var id = (await TestDatasets.UploadDailyAsync(client, days: 100, name: "schedule-bad-cron")).Id();
        var response = await client.PostAsJsonAsync("/api/schedules", new { cron, trainingRun = TrainingRun(id) });
        var body = await response.ReadJsonAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = body.GetProperty("errors");
        Assert.True(errors.TryGetProperty("cron", out var messages), body.ToString());
        Assert.Contains(cron, messages[0].GetString());
        Assert.Contains("5 fields", messages[0].GetString());
        Assert.DoesNotContain("Exception", messages[0].GetString());
        Assert.Single(errors.EnumerateObject());
    }

    [Fact]
    public async Task A_bad_training_request_time_zone_or_policy_is_a_400_naming_each_field()
    {
        var client = factory.CreateClient();
        var id = (await TestDatasets.UploadDailyAsync(client, days: 100, name: "schedule-bad-run")).Id();
        var response = await client.PostAsJsonAsync("/api/schedules", new
        {
            cron = "0 0 3 * * ?", promote = "sometimes", timeZone = "Mars/Olympus",
            trainingRun = new { datasetId = id, targets = new[] { "nope" }, model = new { kind = "naive" }, horizon = 0 },
        });
        var body = await response.ReadJsonAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var fields = body.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("promote", fields);
        Assert.Contains("timeZone", fields);
        Assert.Contains("trainingRun.horizon", fields);
        Assert.Contains(fields, f => f.StartsWith("trainingRun.targets", StringComparison.Ordinal));
        Assert.DoesNotContain("cron", fields);
        Assert.Equal(0, await factory.QueryAsync(db => Task.FromResult(db.Schedules.Count(s => s.SpecJson.Contains("nope")))));
    }

    [Fact]
    public async Task Triggering_trains_on_the_newest_data_promotes_by_validation_MAE_and_delete_removes_the_recurring_job()
    {
        var client = factory.CreateClient();
        var id = (await TestDatasets.UploadDailyAsync(client, days: 100, name: "schedule-fire")).Id();
        var created = await (await client.PostAsJsonAsync("/api/schedules", new { cron = "0 0 3 * * ?", trainingRun = TrainingRun(id), promote = "if_better" })).ReadJsonAsync();
        var scheduleId = created.Id();

        // First firing: no active model yet, so it is promoted.
        var first = await TriggerAsync(client, scheduleId);
        Assert.Equal(scheduleId, first.GetProperty("scheduleId").GetString());
        Assert.Equal("2020-03-10", first.GetProperty("request").GetProperty("split").GetProperty("trainTo").GetString());
        var firstModel = first.GetProperty("modelId").GetString()!;
        var schedule = await (await client.GetAsync($"/api/schedules/{scheduleId}")).ReadJsonAsync();
        Assert.Equal(firstModel, schedule.GetProperty("activeModelId").GetString());
        Assert.Equal(first.Id(), schedule.GetProperty("lastRunId").GetString());
        Assert.False(IsMissing(schedule, "lastFiredAt"));
        Assert.True(schedule.GetProperty("lastDecision").GetProperty("promoted").GetBoolean());

        // Twenty more days: the second firing's split moves forward by 20 steps (trainFrom stays).
        var random = new Random(7);
        var values = Enumerable.Range(100, 20).Select(t => 100 + 20 * Math.Sin(2 * Math.PI * t / 7) + 0.1 * t + random.NextDouble() * 30).ToArray();
        var appended = await client.PostAsJsonAsync($"/api/datasets/{id}/observations", new
        {
            series = new[] { new { id = "s1", start = "2020-04-10", columns = new Dictionary<string, object> { ["value"] = values, ["day_type"] = Enumerable.Range(100, 20).Select(t => t % 7 is 5 or 6 ? "A" : "W").ToArray() } } },
        });
        Assert.Equal(HttpStatusCode.OK, appended.StatusCode);
        var second = await TriggerAsync(client, scheduleId);
        var split = second.GetProperty("request").GetProperty("split");
        Assert.Equal("2020-01-01", split.GetProperty("trainFrom").GetString());
        Assert.Equal("2020-03-30", split.GetProperty("trainTo").GetString());
        Assert.Equal("2020-03-31", split.GetProperty("validFrom").GetString());
        Assert.Equal("2020-04-29", split.GetProperty("validTo").GetString());
        var secondModel = second.GetProperty("modelId").GetString()!;

        var firstMae = await ValidMaeAsync(client, firstModel);
        var secondMae = await ValidMaeAsync(client, secondModel);
        schedule = await (await client.GetAsync($"/api/schedules/{scheduleId}")).ReadJsonAsync();
        var decision = schedule.GetProperty("lastDecision");
        Assert.Equal(second.Id(), decision.GetProperty("runId").GetString());
        Assert.Equal(secondMae, decision.GetProperty("validMae").GetDouble(), 9);
        Assert.Equal(firstMae, decision.GetProperty("previousValidMae").GetDouble(), 9);
        Assert.Equal(secondMae < firstMae, decision.GetProperty("promoted").GetBoolean());
        Assert.Equal(secondMae < firstMae ? secondModel : firstModel, schedule.GetProperty("activeModelId").GetString());
        Assert.Equal([second.Id(), first.Id()], schedule.GetProperty("recentRuns").EnumerateArray().Select(r => r.Id()));

        // The decisions are a history: each run carries its own, and /decisions lists them newest first.
        var recent = schedule.GetProperty("recentRuns").EnumerateArray().ToList();
        Assert.Equal([second.Id(), first.Id()], recent.Select(r => r.GetProperty("decision").GetProperty("runId").GetString()));
        Assert.Equal("No active model yet.", recent[1].GetProperty("decision").GetProperty("reason").GetString());
        Assert.Equal(decision.GetProperty("reason").GetString(), recent[0].GetProperty("decision").GetProperty("reason").GetString());
        var decisions = (await (await client.GetAsync($"/api/schedules/{scheduleId}/decisions")).ReadJsonAsync()).EnumerateArray().ToList();
        Assert.Equal([second.Id(), first.Id()], decisions.Select(d => d.GetProperty("runId").GetString()));
        Assert.True(decisions[1].GetProperty("promoted").GetBoolean());
        Assert.Equal(firstMae, decisions[1].GetProperty("validMae").GetDouble(), 9);
        Assert.True(IsMissing(decisions[1], "previousValidMae"));
        Assert.Equal(secondMae < firstMae, decisions[0].GetProperty("promoted").GetBoolean());
        Assert.Contains(secondMae < firstMae ? "is lower than" : "is not lower than", decisions[0].GetProperty("reason").GetString());
        Assert.True(decisions[0].GetProperty("decidedAt").GetDateTimeOffset() >= decisions[1].GetProperty("decidedAt").GetDateTimeOffset());
        var paged = (await (await client.GetAsync($"/api/schedules/{scheduleId}/decisions?skip=1&take=1")).ReadJsonAsync()).EnumerateArray();
        Assert.Equal([first.Id()], paged.Select(d => d.GetProperty("runId").GetString()));
        Assert.Equal(first.Id(), (await (await client.GetAsync($"/api/training-runs/{first.Id()}")).ReadJsonAsync()).GetProperty("decision").GetProperty("runId").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/schedules/{Guid.NewGuid()}/decisions")).StatusCode);

        // Delete: the recurring job goes; the runs and models stay.
        Assert.True(await ExistsAsync(Guid.Parse(scheduleId)));
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/schedules/{scheduleId}")).StatusCode);
        Assert.False(await ExistsAsync(Guid.Parse(scheduleId)));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/schedules/{scheduleId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync($"/api/schedules/{scheduleId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync($"/api/schedules/{scheduleId}/trigger", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/models/{firstModel}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/training-runs/{second.Id()}")).StatusCode);
    }

    /// <summary>
    /// A scheduled model with covariates (issue 20): each firing trains on the newest rows, its known-future column
    /// extended by the appended rows and its generated calendar and holiday columns computed on, and its forecast
    /// reads the newest planned promo.
    /// </summary>
    [Fact]
    public async Task A_scheduled_run_extends_its_regressors_with_the_new_rows()
    {
        var client = factory.CreateClient();
        static string Rows(int from, int to, int futureTo, Func<int, bool> promo)
        {
            var csv = new System.Text.StringBuilder();
            var random = new Random(from);
            for (var t = from; t < futureTo; t++)
                csv.Append($"{new DateTime(2020, 1, 1).AddDays(t):yyyy-MM-dd},{(t < to ? (200 + (promo(t) ? 80 : 0) + random.NextDouble() * 4).ToString("F3", System.Globalization.CultureInfo.InvariantCulture) : "")},{(promo(t) ? 1 : 0)}\n");
            return csv.ToString();
        }
        static MultipartFormDataContent Csv(string rows) =>
            new() { { new StringContent("date,value,promo\n" + rows, System.Text.Encoding.UTF8, "text/csv"), "file", "promo.csv" } };
        // Promos on random days (a regular rhythm would let the past promos stand in for the planned ones); the planned
        // ones: day 102 alone in the first upload's week ahead, day 125 alone after the append.
        var random = new Random(3);
        var past = Enumerable.Range(0, 120).Select(_ => random.NextDouble() < 0.15).ToArray();
        var created = await client.PostAsync("/api/datasets", Csv(Rows(0, 100, 107, t => t < 100 ? past[t] : t == 102)));
        var datasetId = (await created.ReadJsonAsync()).Id();
        var request = new
        {
            datasetId, targets = new[] { "value" }, horizon = 7, model = new { kind = "linear" }, windowLength = 14,
            knownFuture = new[] { "promo" }, calendar = new[] { "dayOfWeek" }, holidays = new { country = "US" },
            scaling = new { kind = "standard" }, training = new { epochs = 200, seed = 1, learningRate = 0.01 },
            split = new { trainFrom = "2020-01-01", trainTo = "2020-03-10", validFrom = "2020-03-11", validTo = "2020-04-09" },
        };
        var scheduleId = (await (await client.PostAsJsonAsync("/api/schedules", new { cron = "0 0 3 * * ?", trainingRun = request, promote = "always" })).ReadJsonAsync()).Id();

        async Task<double[]> ForecastAsync(JsonElement run)
        {
            var forecast = await (await client.PostAsJsonAsync($"/api/models/{run.GetProperty("modelId").GetString()}/forecast", new { horizon = 7 })).ReadJsonAsync();
            return forecast.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("values").GetProperty("value").GetProperty("mean").GetDouble()).ToArray();
        }
        static int Peak(double[] points) => Array.IndexOf(points, points.Max());

        var first = await ForecastAsync(await TriggerAsync(client, scheduleId));
        Assert.True(Peak(first) == 2, $"the first model's forecast peaks at step {Peak(first) + 1}: {string.Join(", ", first)}");

        var appended = await client.PostAsync($"/api/datasets/{datasetId}/observations", Csv(Rows(100, 120, 127, t => t < 120 ? past[t] || t == 102 : t == 125)));
        Assert.True(appended.StatusCode == HttpStatusCode.OK, await appended.Content.ReadAsStringAsync());
        var secondRun = await TriggerAsync(client, scheduleId);
        Assert.Equal("2020-03-30", secondRun.GetProperty("request").GetProperty("split").GetProperty("trainTo").GetString());
        Assert.Equal("US", secondRun.GetProperty("request").GetProperty("holidays").GetProperty("country").GetString());
        var second = await ForecastAsync(secondRun);
        Assert.True(Peak(second) == 5, $"the second model's forecast peaks at step {Peak(second) + 1}: {string.Join(", ", second)}");
        Assert.True(second[5] - second.Where((_, i) => i != 5).Average() > 40, $"promo lift {second[5] - second.Where((_, i) => i != 5).Average()}");
    }

    [Fact]
    public async Task Policy_never_keeps_no_active_model_and_always_promotes_each_run()
    {
        var client = factory.CreateClient();
        var id = (await TestDatasets.UploadDailyAsync(client, days: 100, name: "schedule-policies")).Id();
        var never = await (await client.PostAsJsonAsync("/api/schedules", new { cron = "0 0 3 * * ?", trainingRun = TrainingRun(id), promote = "never" })).ReadJsonAsync();
        await TriggerAsync(client, never.Id());
        var schedule = await (await client.GetAsync($"/api/schedules/{never.Id()}")).ReadJsonAsync();
        Assert.True(IsMissing(schedule, "activeModelId"));
        Assert.False(schedule.GetProperty("lastDecision").GetProperty("promoted").GetBoolean());

        var always = await (await client.PostAsJsonAsync("/api/schedules", new { cron = "0 0 3 * * ?", trainingRun = TrainingRun(id), promote = "always" })).ReadJsonAsync();
        await TriggerAsync(client, always.Id());
        var run = await TriggerAsync(client, always.Id());
        schedule = await (await client.GetAsync($"/api/schedules/{always.Id()}")).ReadJsonAsync();
        Assert.Equal(run.GetProperty("modelId").GetString(), schedule.GetProperty("activeModelId").GetString());
    }

    [Fact]
    public async Task The_recurring_job_fires_and_queues_a_scheduled_run()
    {
        var client = factory.CreateClient();
        var id = (await TestDatasets.UploadDailyAsync(client, days: 100, name: "schedule-cron")).Id();
        // Every second: the worker in the test host fires it without /trigger.
        var created = await (await client.PostAsJsonAsync("/api/schedules", new { cron = "* * * * * ?", trainingRun = TrainingRun(id) })).ReadJsonAsync();
        var scheduleId = created.Id();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        JsonElement schedule;
        do
        {
            await Task.Delay(200);
            schedule = await (await client.GetAsync($"/api/schedules/{scheduleId}")).ReadJsonAsync();
        } while (IsMissing(schedule, "activeModelId") && DateTime.UtcNow < deadline);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/schedules/{scheduleId}")).StatusCode);
        Assert.False(IsMissing(schedule, "activeModelId"), schedule.ToString());
        var run = schedule.GetProperty("recentRuns").EnumerateArray().First(r => r.GetProperty("status").GetString() == "succeeded");
        Assert.Equal(scheduleId, run.GetProperty("scheduleId").GetString());
    }

    [Fact]
    public async Task A_schedule_a_forecaster_follows_is_not_deleted_from_under_it()
    {
        var client = factory.CreateClient();
        var id = (await TestDatasets.UploadDailyAsync(client, days: 100, name: "schedule-followed")).Id();
        var schedule = (await (await client.PostAsJsonAsync("/api/schedules", new { cron = "0 0 3 * * ?", trainingRun = TrainingRun(id) })).ReadJsonAsync()).Id();
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/forecasters", new { name = "follows-schedule", scheduleId = schedule })).StatusCode);

        var refused = await client.DeleteAsync($"/api/schedules/{schedule}");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("'follows-schedule'", (await refused.ReadJsonAsync()).GetProperty("detail").GetString());
        Assert.True(await ExistsAsync(Guid.Parse(schedule)));

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("/api/forecasters/follows-schedule")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/schedules/{schedule}")).StatusCode);
    }

    [Fact]
    public async Task Schedule_recovery_registers_a_schedule_whose_recurring_job_was_lost_again()
    {
        var client = factory.CreateClient();
        var id = (await TestDatasets.UploadDailyAsync(client, days: 100, name: "schedule-recovery")).Id();
        var created = await (await client.PostAsJsonAsync("/api/schedules", new { cron = "0 0 3 * * ?", trainingRun = TrainingRun(id) })).ReadJsonAsync();
        var scheduleId = Guid.Parse(created.Id());
        Assert.True(await ExistsAsync(scheduleId));
        factory.Services.GetRequiredService<IRecurringSchedules>().Remove(scheduleId);
        Assert.False(await ExistsAsync(scheduleId));

        await factory.Services.GetServices<IHostedService>().OfType<ScheduleRecovery>().Single().StartAsync(CancellationToken.None);
        Assert.True(await ExistsAsync(scheduleId));
        var schedule = await (await client.GetAsync($"/api/schedules/{scheduleId}")).ReadJsonAsync();
        Assert.Equal(created.GetProperty("nextFireAt").GetDateTimeOffset(), schedule.GetProperty("nextFireAt").GetDateTimeOffset());
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/schedules/{scheduleId}")).StatusCode);
    }

    /// <summary>The API leaves null properties out.</summary>
    private static bool IsMissing(JsonElement element, string name) =>
        !element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null;

    private static async Task<JsonElement> TriggerAsync(HttpClient client, string scheduleId)
    {
        var response = await client.PostAsync($"/api/schedules/{scheduleId}/trigger", null);
        var body = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, body.ToString());
        Assert.Equal($"/api/training-runs/{body.Id()}", response.Headers.Location?.OriginalString);
        var run = await client.WaitForRunAsync(body.Id());
        Assert.True(run.GetProperty("status").GetString() == "succeeded", run.ToString());
        return run;
    }

    private static async Task<double> ValidMaeAsync(HttpClient client, string modelId)
    {
        var model = await (await client.GetAsync($"/api/models/{modelId}")).ReadJsonAsync();
        return model.GetProperty("metrics").GetProperty("validation").GetProperty("mae").GetDouble();
    }

    /// <summary>Whether the job engine holds the schedule's recurring job.</summary>
    private Task<bool> ExistsAsync(Guid scheduleId)
    {
        using var connection = factory.Services.GetRequiredService<JobStorage>().GetConnection();
        return Task.FromResult(connection.GetRecurringJobs().Any(j => j.Id == $"schedule-{scheduleId:N}"));
    }
}
