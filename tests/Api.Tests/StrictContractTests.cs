using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Forecasting.Api.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Forecasting.Api.Tests;

/// <summary>
/// Issue 10's defects, one case each: every one was answered wrongly (accepted, defaults returned, a 500, a .NET
/// name in the text) before the strict contract; each is now a 4xx problem naming the field, with nothing stored.
/// </summary>
public sealed class StrictContractTests : IClassFixture<StrictContractTests.Fixture>
{
    public sealed class Fixture() : NaiveModelFixture(new() { ["Limits:MaxColumns"] = "50", ["Limits:MaxWorkPerRun"] = "100000" });

    private readonly Fixture _fixture;

    public StrictContractTests(Fixture fixture) => _fixture = fixture;

    private static HttpContent Json(string json) => new StringContent(json, Encoding.UTF8, "application/json");

    private static HttpContent JsonBytes(byte[] utf8)
    {
        var content = new ByteArrayContent(utf8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private string Run(string model = "{ \"kind\": \"naive\" }", string changes = "", string split = "{ \"trainFrom\": \"2020-01-01\", \"trainTo\": \"2020-02-15\" }") =>
        $$"""{ "datasetId": "{{_fixture.DatasetId}}", "targets": ["value"], "split": {{split}}, "model": {{model}} {{changes}} }""";

    private const string Lstm = "{ \"kind\": \"simple_rnn\", \"units\": [4], \"recurrentDropout\": 0.1 }";

    public static TheoryData<string> Cases => new()
    {
        "unknown-field-seasonal_order", "unknown-field-h", "unknown-field-level", "unknown-top-level-field", "levels-as-fractions", "levels-duplicated",
        "valid-period-after-data", "test-period-after-data", "observation-nan-string", "observation-infinity-string", "observation-1e400",
        "observation-null-row", "observation-timestamp-object", "observation-invalid-utf8", "append-lone-surrogate-id",
        "data-from-after-to", "units-not-a-list", "trailing-comma", "all-zero-dataset-id", "missing-dataset-id",
        "cron-never-fires", "multipart-without-boundary", "dropout-nan", "recurrent-dropout-nan", "split-fraction-nan", "scaling-by-infinity",
        "cap-columns", "cap-label-length", "cap-horizon", "cap-horizon-to-data", "cap-work-per-run", "forecast-horizon-cap", "backtest-unknown-dataset",
        "schedule-unknown-dataset",
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Is_a_4xx_problem_naming_the_field_and_nothing_is_stored(string name)
    {
        var client = _fixture.Client;
        var forecast = $"/api/models/{_fixture.ModelId}/forecast";
        var before = await Counts();
        var (response, expectedStatus, mustMention) = name switch
        {
            "unknown-field-seasonal_order" => (await client.PostAsync("/api/training-runs", Json(Run("{ \"kind\": \"sarima\", \"order\": [1, 0, 0], \"seasonal_order\": [0, 1, 1, 7] }"))), 400, "model.seasonalOrder"),
            "unknown-field-h" => (await client.PostAsync(forecast, Json("""{ "h": 14 }""")), 400, "'horizon'"),
            "unknown-field-level" => (await client.PostAsync(forecast, Json("""{ "level": [80, 95] }""")), 400, "'levels'"),
            "unknown-top-level-field" => (await client.PostAsync("/api/training-runs", Json(Run(changes: ", \"epochs\": 5"))), 400, "epochs"),
            "levels-as-fractions" => (await client.PostAsync(forecast, Json("""{ "levels": [0.8, 0.95] }""")), 400, "write 80"),
            "levels-duplicated" => (await client.PostAsync(forecast, Json("""{ "levels": [80, 80.001] }""")), 400, "twice"),
            "valid-period-after-data" => (await client.PostAsync("/api/training-runs", Json(Run(split: "{ \"trainTo\": \"2020-02-15\", \"validFrom\": \"2021-01-01\" }"))), 400, "split.validFrom"),
            "test-period-after-data" => (await client.PostAsync("/api/training-runs", Json(Run(split: "{ \"trainTo\": \"2020-02-15\", \"testFrom\": \"2021-01-01\" }"))), 400, "split.testFrom"),
            "observation-nan-string" => (await client.PostAsync(forecast, Json("""{ "observations": [ { "timestamp": "2020-03-01", "value": "NaN" } ] }""")), 400, "observations[0].value"),
            "observation-infinity-string" => (await client.PostAsync(forecast, Json("""{ "observations": [ { "timestamp": "2020-03-01", "value": "-Infinity" } ] }""")), 400, "observations[0].value"),
            "observation-1e400" => (await client.PostAsync(forecast, Json("""{ "observations": [ { "timestamp": "2020-03-01", "value": 1e400 } ] }""")), 400, "observations[0].value"),
            "observation-null-row" => (await client.PostAsync(forecast, Json("""{ "observations": [ null ] }""")), 400, "observations[0]"),
            "observation-timestamp-object" => (await client.PostAsync(forecast, Json("""{ "observations": [ { "timestamp": { "y": 2020 }, "value": 1 } ] }""")), 400, "observations[0].timestamp"),
            "observation-invalid-utf8" => (await client.PostAsync(forecast, JsonBytes([.. "{ \"observations\": [ { \"timestamp\": \""u8, 0xC3, 0x28, .. "\", \"value\": 1 } ] }"u8])), 400, "Unicode"),
            "append-lone-surrogate-id" => (await client.PostAsync($"/api/datasets/{_fixture.DatasetId}/observations", Json("""{ "series": [ { "id": "\ud800", "start": "2020-03-01", "columns": { "value": [1], "day_type": ["W"] } } ] }""")), 400, "Unicode"),
            "data-from-after-to" => (await client.GetAsync($"/api/datasets/{_fixture.DatasetId}/data?from=2020-02-01&to=2020-01-01"), 400, "before from"),
            "units-not-a-list" => (await client.PostAsync("/api/training-runs", Json(Run("{ \"kind\": \"lstm\", \"units\": 32 }", ", \"windowLength\": 7"))), 400, "a list of whole numbers"),
            "trailing-comma" => (await client.PostAsync("/api/training-runs", Json(Run(changes: ", \"horizon\": 1,"))), 400, "trailing comma"),
            "all-zero-dataset-id" => (await client.PostAsync("/api/training-runs", Json(Run().Replace(_fixture.DatasetId, Guid.Empty.ToString()))), 404, Guid.Empty.ToString()),
            "missing-dataset-id" => (await client.PostAsync("/api/training-runs", Json("""{ "targets": ["value"], "model": { "kind": "naive" } }""")), 400, "datasetId"),
            "cron-never-fires" => (await client.PostAsync("/api/schedules", Json($$"""{ "cron": "0 0 0 30 2 ?", "trainingRun": {{Run()}} }""")), 400, "never fires"),
            "multipart-without-boundary" => (await client.PostAsync("/api/datasets", new StringContent("--x\r\n", Encoding.UTF8, "multipart/form-data")), 400, "multipart"),
            "dropout-nan" => (await client.PostAsync("/api/training-runs", Json(Run("{ \"kind\": \"simple_rnn\", \"units\": [4], \"dropout\": \"NaN\" }", ", \"windowLength\": 7"))), 400, "model.dropout"),
            "recurrent-dropout-nan" => (await client.PostAsync("/api/training-runs", Json(Run("{ \"kind\": \"simple_rnn\", \"units\": [4], \"recurrentDropout\": \"NaN\" }", ", \"windowLength\": 7"))), 400, "model.recurrentDropout"),
            "split-fraction-nan" => (await client.PostAsync("/api/training-runs", Json(Run(split: "{ \"train\": \"NaN\" }"))), 400, "split.train"),
            "scaling-by-infinity" => (await client.PostAsync("/api/training-runs", Json(Run(changes: ", \"scaling\": { \"kind\": \"divide\", \"by\": 1e400 }"))), 400, "scaling.by"),
            "cap-columns" => (await client.PostAsync("/api/datasets", Json($$"""{ "name": "wide", "frequency": "D", "series": [ { "start": "2020-01-01", "columns": { {{string.Join(", ", Enumerable.Range(0, 60).Select(i => $"\"c{i}\": [1, 2]"))}} } } ] }""")), 400, "Limits:MaxColumns"),
            "cap-label-length" => (await client.PostAsync("/api/datasets", Json($$"""{ "name": "label", "frequency": "D", "series": [ { "start": "2020-01-01", "columns": { "v": [1, 2], "kind": ["{{new string('x', 300)}}", "y"] } } ] }""")), 400, "Limits:MaxLabelLength"),
            "cap-horizon" => (await client.PostAsync("/api/training-runs", Json(Run(changes: ", \"horizon\": 10000"))), 400, "Limits:MaxHorizon"),
            "cap-horizon-to-data" => (await client.PostAsync("/api/training-runs", Json(Run(changes: ", \"horizon\": 500"))), 400, "Limits:MaxHorizonToData"),
            "cap-work-per-run" => (await client.PostAsync("/api/training-runs", Json(Run(Lstm, ", \"windowLength\": 7, \"training\": { \"epochs\": 10000 }"))), 400, "Limits:MaxWorkPerRun"),
            "forecast-horizon-cap" => (await client.PostAsync(forecast, Json("""{ "horizon": 10000 }""")), 400, "Limits:MaxHorizon"),
            "backtest-unknown-dataset" => (await client.PostAsync("/api/backtests", Json("""{ "datasetId": "11111111-2222-3333-4444-555555555555", "targets": ["value"], "model": { "kind": "naive" }, "from": "2020-02-01", "to": "2020-02-10" }""")), 404, "11111111-2222-3333-4444-555555555555"),
            "schedule-unknown-dataset" => (await client.PostAsync("/api/schedules", Json($$"""{ "cron": "0 0 3 * * ?", "trainingRun": {{Run().Replace(_fixture.DatasetId, "11111111-2222-3333-4444-555555555555")}} }""")), 404, "11111111-2222-3333-4444-555555555555"),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == expectedStatus, $"{name}: expected {expectedStatus}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(mustMention, body, StringComparison.OrdinalIgnoreCase);
        ProblemText.AssertPlain(body);
        Assert.Equal(before, await Counts());
    }

    [Fact]
    public async Task Deleting_a_dataset_in_use_is_409_unless_cascade_which_removes_its_models_and_schedules()
    {
        var client = _fixture.Client;
        var id = (await TestDatasets.UploadDailyAsync(client, days: 40, name: "doomed")).Id();
        var model = (await client.TrainAsync(new { datasetId = id, targets = new[] { "value" }, model = new { kind = "naive" } })).GetProperty("id").GetString();
        var schedule = await client.PostAsync("/api/schedules", Json($$"""{ "cron": "0 0 3 * * ?", "trainingRun": { "datasetId": "{{id}}", "targets": ["value"], "model": { "kind": "naive" } } }"""));
        Assert.Equal(HttpStatusCode.Created, schedule.StatusCode);
        var scheduleId = (await schedule.ReadJsonAsync()).Id();

        var refused = await client.DeleteAsync($"/api/datasets/{id}");
        var body = await refused.Content.ReadAsStringAsync();
        Assert.True(refused.StatusCode == HttpStatusCode.Conflict, body);
        Assert.Contains("cascade=true", body);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/models/{model}")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/datasets/{id}?cascade=true")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/models/{model}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/schedules/{scheduleId}")).StatusCode);
        var runs = await (await client.GetAsync($"/api/training-runs?datasetId={id}")).ReadJsonAsync();
        Assert.Equal(0, runs.GetArrayLength());
    }

    [Fact]
    public async Task A_delete_racing_a_submission_never_leaves_a_run_of_a_deleted_dataset()
    {
        var client = _fixture.Client;
        for (var i = 0; i < 8; i++)
        {
            var id = (await TestDatasets.UploadDailyAsync(client, days: 30, name: $"race-{i}")).Id();
            var submit = client.PostAsync("/api/training-runs", Json($$"""{ "datasetId": "{{id}}", "targets": ["value"], "model": { "kind": "naive" } }"""));
            var delete = client.DeleteAsync($"/api/datasets/{id}");
            var (submitted, deleted) = (await submit, await delete);
            Assert.False(submitted.StatusCode == HttpStatusCode.Accepted && deleted.StatusCode == HttpStatusCode.NoContent,
                $"both succeeded: {await submitted.Content.ReadAsStringAsync()}");
            Assert.True(submitted.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.NotFound, await submitted.Content.ReadAsStringAsync());
            Assert.True(deleted.StatusCode is HttpStatusCode.NoContent or HttpStatusCode.Conflict, await deleted.Content.ReadAsStringAsync());
            if (submitted.StatusCode == HttpStatusCode.Accepted) await client.WaitForRunAsync((await submitted.ReadJsonAsync()).Id());
        }
        var orphans = await _fixture.Factory.QueryAsync(async db =>
            await db.TrainingRuns.CountAsync(r => !db.Datasets.Any(d => d.Id == r.DatasetId)) + await db.Models.CountAsync(m => !db.Datasets.Any(d => d.Id == m.DatasetId)));
        Assert.Equal(0, orphans);
    }

    [Fact]
    public async Task An_empty_series_list_means_all_series_for_schedules_as_for_training_runs()
    {
        var response = await _fixture.Client.PostAsync("/api/schedules", Json($$"""{ "cron": "0 0 3 * * ?", "trainingRun": {{Run(changes: ", \"series\": []")}} }"""));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        Assert.Equal(HttpStatusCode.NoContent, (await _fixture.Client.DeleteAsync($"/api/schedules/{(await response.ReadJsonAsync()).Id()}")).StatusCode);
    }

    [Fact]
    public async Task Progress_and_history_report_the_validation_MAE_in_the_data_units_not_the_scaled_ones()
    {
        var client = _fixture.Client;
        var model = await client.TrainAsync(new
        {
            datasetId = _fixture.DatasetId, targets = new[] { "value" }, windowLength = 7, horizon = 1,
            split = new { trainTo = "2020-02-10", validFrom = "2020-02-11" }, scaling = new { kind = "divide", by = 1000 },
            model = new { kind = "linear" }, training = new { loss = "mse", optimizer = "adam", learningRate = 0.01, epochs = 5 },
        });
        var metricMae = model.GetProperty("metrics").GetProperty("validation").GetProperty("mae").GetDouble();
        var historyMae = model.GetProperty("history").EnumerateArray().Last().GetProperty("validMae").GetDouble();
        var run = await (await client.GetAsync($"/api/training-runs/{model.GetProperty("trainingRunId").GetString()}")).ReadJsonAsync();
        var progress = run.GetProperty("progress");
        Assert.Equal("epochs", progress.GetProperty("steps").GetString());
        // The per-epoch early-stopping MAE is in the same units as the model's (scaled ones would be 1000 times smaller);
        // the finished run reports the model's own figure.
        Assert.InRange(historyMae / metricMae, 0.5, 2);
        Assert.Equal(metricMae, progress.GetProperty("validMae").GetDouble());
    }

    [Fact]
    public async Task A_statistical_run_reports_its_fits_not_an_epoch_and_no_training_loss()
    {
        var client = _fixture.Client;
        var model = await client.TrainAsync(new
        {
            datasetId = _fixture.DatasetId, targets = new[] { "value" }, split = new { trainTo = "2020-02-10", validFrom = "2020-02-11" },
            model = new { kind = "sarima", order = new[] { 1, 0, 0 }, seasonalOrder = new[] { 0, 1, 1, 7 } },
        });
        Assert.Equal(0, model.GetProperty("history").GetArrayLength());
        Assert.True(model.GetProperty("details").GetProperty("fits")[0].GetProperty("fit").TryGetProperty("logLikelihood", out _), model.ToString());
        var run = await (await client.GetAsync($"/api/training-runs/{model.GetProperty("trainingRunId").GetString()}")).ReadJsonAsync();
        var progress = run.GetProperty("progress");
        Assert.Equal("fits", progress.GetProperty("steps").GetString());
        Assert.Equal(1, progress.GetProperty("epochs").GetInt32());
        Assert.False(progress.TryGetProperty("trainLoss", out _), progress.ToString());
        Assert.Equal(model.GetProperty("metrics").GetProperty("validation").GetProperty("mae").GetDouble(), progress.GetProperty("validMae").GetDouble(), 6);
    }

    private Task<(int Datasets, int Runs, int Models, int Schedules, int Backtests)> Counts() => _fixture.Factory.QueryAsync(async db =>
        (await db.Datasets.CountAsync(), await db.TrainingRuns.CountAsync(), await db.Models.CountAsync(), await db.Schedules.CountAsync(), await db.Backtests.CountAsync()));
}

