using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Forecasting.Api.Tests.Infrastructure;

namespace Forecasting.Api.Tests.Auth;

/// <summary>Each audited action leaves one row naming the key that did it; refused actions leave none.</summary>
public sealed class AuditTrailTests
{
    private static void AssertRow(JsonElement audit, string action, string resourceId, string actor)
    {
        var rows = audit.EnumerateArray().Where(e => e.GetProperty("action").GetString() == action && e.GetProperty("resourceId").GetString() == resourceId).ToList();
        Assert.True(rows.Count == 1, $"expected one {action} row for {resourceId}: {audit}");
        Assert.Contains(actor, rows[0].GetProperty("actor").GetString());
    }

    [Fact]
    public async Task Creating_cancelling_and_deleting_are_recorded_with_the_key()
    {
        // role=api: runs and backtests stay queued, so they can be cancelled.
        using var factory = KeysMode.Factory(new() { ["role"] = "api" });
        var (trainKey, trainKeyId) = await factory.CreateKeyAsync("pipeline", "read", "train");
        var train = factory.Client(trainKey);
        var admin = factory.AdminClient();

        var dataset = await TestDatasets.UploadDailyAsync(train, days: 60);
        var synthetic = await (await train.PostAsJsonAsync("/api/datasets/synthetic", new { count = 2, steps = 20, seed = 1 })).ReadJsonAsync();
        var appended = await train.PostAsJsonAsync($"/api/datasets/{dataset.Id()}/observations", new
        {
            series = new[] { new { id = "s1", start = "2020-03-01", columns = new Dictionary<string, object> { ["value"] = new[] { 1.0, 2.0 }, ["day_type"] = new[] { "W", "W" } } } },
        });
        Assert.True(appended.StatusCode == HttpStatusCode.OK, await appended.Content.ReadAsStringAsync());
        var run = await (await train.PostAsJsonAsync("/api/training-runs", new { datasetId = dataset.Id(), targets = new[] { "value" }, model = new { kind = "naive" } })).ReadJsonAsync();
        Assert.Equal(HttpStatusCode.Accepted, (await train.PostAsync($"/api/training-runs/{run.Id()}/cancel", null)).StatusCode);
        var backtest = await (await train.PostAsJsonAsync("/api/backtests", new { datasetId = dataset.Id(), targets = new[] { "value" }, model = new { kind = "naive" }, from = "2020-02-01", to = "2020-02-10" })).ReadJsonAsync();
        Assert.Equal(HttpStatusCode.Accepted, (await train.PostAsync($"/api/backtests/{backtest.Id()}/cancel", null)).StatusCode);
        var schedule = await (await train.PostAsJsonAsync("/api/schedules", new { cron = "0 0 3 * * ?", trainingRun = new { datasetId = dataset.Id(), targets = new[] { "value" }, model = new { kind = "naive" } } })).ReadJsonAsync();
        var fired = await (await train.PostAsync($"/api/schedules/{schedule.Id()}/trigger", null)).ReadJsonAsync();

        // Deletions need admin: a train key is refused and leaves no row.
        Assert.Equal(HttpStatusCode.Forbidden, (await train.DeleteAsync($"/api/datasets/{synthetic.Id()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/schedules/{schedule.Id()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/datasets/{synthetic.Id()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/keys/{trainKeyId}")).StatusCode);

        var audit = await factory.AuditAsync();
        const string pipeline = "key 'pipeline' (fk_";
        AssertRow(audit, "key.create", trainKeyId, "configuration admin key");
        AssertRow(audit, "dataset.create", dataset.Id(), pipeline);
        AssertRow(audit, "dataset.create", synthetic.Id(), pipeline);
        AssertRow(audit, "dataset.append", dataset.Id(), pipeline);
        AssertRow(audit, "training_run.create", run.Id(), pipeline);
        AssertRow(audit, "training_run.cancel", run.Id(), pipeline);
        AssertRow(audit, "backtest.create", backtest.Id(), pipeline);
        AssertRow(audit, "backtest.cancel", backtest.Id(), pipeline);
        AssertRow(audit, "schedule.create", schedule.Id(), pipeline);
        AssertRow(audit, "training_run.create", fired.Id(), pipeline);
        AssertRow(audit, "schedule.delete", schedule.Id(), "configuration admin key");
        AssertRow(audit, "dataset.delete", synthetic.Id(), "configuration admin key");
        AssertRow(audit, "key.delete", trainKeyId, "configuration admin key");
        Assert.Equal(13, audit.GetArrayLength());
        Assert.All(audit.EnumerateArray().Where(e => e.GetProperty("actor").GetString()!.Contains("pipeline")), e => Assert.Equal(trainKeyId, e.GetProperty("keyId").GetString()));

        // Newest first, and filterable.
        Assert.Equal("key.delete", audit[0].GetProperty("action").GetString());
        var deletions = await factory.AuditAsync("&action=dataset.delete");
        Assert.Equal(synthetic.Id(), Assert.Single(deletions.EnumerateArray()).GetProperty("resourceId").GetString());
    }

    [Fact]
    public async Task Deleting_a_model_and_a_schedules_promotion_are_recorded()
    {
        using var factory = KeysMode.Factory();
        var admin = factory.AdminClient();
        var dataset = await TestDatasets.UploadDailyAsync(admin, days: 60);
        var schedule = await (await admin.PostAsJsonAsync("/api/schedules", new { cron = "0 0 3 * * ?", trainingRun = new { datasetId = dataset.Id(), targets = new[] { "value" }, model = new { kind = "naive" } } })).ReadJsonAsync();
        var fired = await (await admin.PostAsync($"/api/schedules/{schedule.Id()}/trigger", null)).ReadJsonAsync();
        var run = await admin.WaitForRunAsync(fired.Id());
        Assert.Equal("succeeded", run.GetProperty("status").GetString());
        var modelId = run.GetProperty("modelId").GetString()!;
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/models/{modelId}")).StatusCode);

        var audit = await factory.AuditAsync();
        AssertRow(audit, "model.delete", modelId, "configuration admin key");
        var promotion = audit.EnumerateArray().Single(e => e.GetProperty("action").GetString() == "schedule.promote");
        Assert.Equal(schedule.Id(), promotion.GetProperty("resourceId").GetString());
        Assert.Equal("system", promotion.GetProperty("actor").GetString());
        Assert.Equal(modelId, promotion.GetProperty("details").GetProperty("modelId").GetString());
    }
}
