using System.Net;
using System.Net.Http.Json;
using System.Text;
using Forecasting.Api.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Forecasting.Api.Tests;

/// <summary>
/// Bad requests of every kind: each is a 4xx problem-details answer naming what was wrong, and nothing is
/// stored (dataset, run and model counts unchanged).
/// </summary>
public sealed class MalformedRequestTests : IClassFixture<MalformedRequestTests.Fixture>
{
    public sealed class Fixture() : NaiveModelFixture(new() { ["Uploads:MaxBytes"] = "4096" });

    private readonly Fixture _fixture;

    public MalformedRequestTests(Fixture fixture) => _fixture = fixture;

    private static HttpContent Csv(string text, params (string Name, string Value)[] fields)
    {
        var form = new MultipartFormDataContent { { new StringContent(text, Encoding.UTF8, "text/csv"), "file", "upload.csv" } };
        form.Add(new StringContent("bad"), "name");
        foreach (var (name, value) in fields) form.Add(new StringContent(value), name);
        return form;
    }

    private static HttpContent Json(string json) => new StringContent(json, Encoding.UTF8, "application/json");

    private string Run(string changes) =>
        $$"""{ "datasetId": "{{_fixture.DatasetId}}", "targets": ["value"], "split": { "trainFrom": "2020-01-01", "trainTo": "2020-02-15" }, "model": { "kind": "naive" } {{changes}} }""";

    public static TheoryData<string> Cases => new()
    {
        "csv-non-numeric-cell", "csv-gap", "csv-empty-file", "csv-header-only", "csv-ragged-row", "csv-bad-date", "csv-unknown-time-column",
        "form-without-file", "json-malformed", "json-unknown-frequency", "json-no-series", "plain-text-body", "upload-too-large",
        "synthetic-zero-count", "synthetic-too-many-steps",
        "run-unknown-dataset", "run-unknown-target", "run-categorical-target", "run-unknown-kind", "run-split-reversed",
        "run-split-not-a-date", "run-negative-horizon", "run-bad-loss", "run-zero-shuffle-buffer", "run-malformed-json", "run-season-too-long",
        "run-naive-seq2seq", "forecast-unknown-model", "forecast-level-out-of-range", "forecast-origin-outside", "forecast-observation-missing-value",
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Is_refused_with_problem_details_and_nothing_stored(string name)
    {
        var client = _fixture.Client;
        var before = await Counts();
        var (response, expectedStatus, mustMention) = name switch
        {
            "csv-non-numeric-cell" => (await client.PostAsync("/api/datasets", Csv("date,value\n2020-01-01,1\n2020-01-02,2\n2020-01-03,x3\n2020-01-04,4\n2020-01-05,5\n")), 400, "line 4"),
            "csv-gap" => (await client.PostAsync("/api/datasets", Csv("date,value\n2020-01-01,1\n2020-01-02,2\n2020-01-04,4\n")), 400, "line 4"),
            "csv-empty-file" => (await client.PostAsync("/api/datasets", Csv("")), 400, "empty"),
            "csv-header-only" => (await client.PostAsync("/api/datasets", Csv("date,value\n")), 400, "row"),
            "csv-ragged-row" => (await client.PostAsync("/api/datasets", Csv("date,value\n2020-01-01,1\n2020-01-02,2,7\n")), 400, "line 3"),
            "csv-bad-date" => (await client.PostAsync("/api/datasets", Csv("date,value\n2020-01-01,1\nyesterday,2\n")), 400, "line 3"),
            "csv-unknown-time-column" => (await client.PostAsync("/api/datasets", Csv("date,value\n2020-01-01,1\n", ("timeColumn", "when"))), 400, "when"),
            "form-without-file" => (await client.PostAsync("/api/datasets", new MultipartFormDataContent { { new StringContent("x"), "name" } }), 400, "file"),
            "json-malformed" => (await client.PostAsync("/api/datasets", Json("{ \"name\": \"x\", \"series\": [ ")), 400, "JSON"),
            "json-unknown-frequency" => (await client.PostAsync("/api/datasets", Json("""{ "name": "x", "frequency": "fortnightly", "series": [ { "start": "2020-01-01", "columns": { "v": [1, 2] } } ] }""")), 400, "frequency"),
            "json-no-series" => (await client.PostAsync("/api/datasets", Json("""{ "name": "x", "frequency": "D", "series": [] }""")), 400, "series"),
            "plain-text-body" => (await client.PostAsync("/api/datasets", new StringContent("date,value", Encoding.UTF8, "text/plain")), 415, "Unsupported Media Type"),
            "upload-too-large" => (await client.PostAsync("/api/datasets", Csv("date,value\n" + string.Concat(Enumerable.Range(0, 400).Select(i => $"{new DateOnly(2000, 1, 1).AddDays(i):yyyy-MM-dd},{i}\n")))), 413, "large"),
            "synthetic-zero-count" => (await client.PostAsJsonAsync("/api/datasets/synthetic", new { name = "s", count = 0, steps = 10 }), 400, "count"),
            "synthetic-too-many-steps" => (await client.PostAsJsonAsync("/api/datasets/synthetic", new { name = "s", count = 10, steps = 1_000_000 }), 400, "steps"),
            "run-unknown-dataset" => (await client.PostAsync("/api/training-runs", Json(Run("").Replace(_fixture.DatasetId, "5bad5624-378a-4c25-97c3-ecbc239fc537"))), 404, "5bad5624-378a-4c25-97c3-ecbc239fc537"),
            "run-unknown-target" => (await client.PostAsync("/api/training-runs", Json(Run("").Replace("[\"value\"]", "[\"ridership\"]"))), 400, "targets[0]"),
            "run-categorical-target" => (await client.PostAsync("/api/training-runs", Json(Run("").Replace("[\"value\"]", "[\"day_type\"]"))), 400, "categorical"),
            "run-unknown-kind" => (await client.PostAsync("/api/training-runs", Json(Run("").Replace("\"naive\"", "\"prophet\""))), 400, "model.kind"),
            "run-split-reversed" => (await client.PostAsync("/api/training-runs", Json(Run("").Replace("\"trainTo\": \"2020-02-15\"", "\"trainTo\": \"2019-12-01\""))), 400, "split.trainTo"),
            "run-split-not-a-date" => (await client.PostAsync("/api/training-runs", Json(Run("").Replace("\"2020-02-15\"", "\"next tuesday\""))), 400, "split.trainTo"),
            "run-negative-horizon" => (await client.PostAsync("/api/training-runs", Json(Run(", \"horizon\": -3"))), 400, "horizon"),
            "run-bad-loss" => (await client.PostAsync("/api/training-runs", Json(Run(", \"training\": { \"loss\": \"hinge\" }"))), 400, "training.loss"),
            "run-zero-shuffle-buffer" => (await client.PostAsync("/api/training-runs", Json(Run(", \"training\": { \"shuffleBuffer\": 0 }"))), 400, "training.shuffleBuffer"),
            "run-malformed-json" => (await client.PostAsync("/api/training-runs", Json("{ \"datasetId\": 12, ")), 400, "JSON"),
            "run-season-too-long" => (await client.PostAsync("/api/training-runs", Json(Run("").Replace("{ \"kind\": \"naive\" }", "{ \"kind\": \"seasonal_naive\", \"season\": 365 }"))), 400, "season 365"),
            "run-naive-seq2seq" => (await client.PostAsync("/api/training-runs", Json(Run(", \"strategy\": \"seq2seq\""))), 400, "strategy"),
            "forecast-unknown-model" => (await client.PostAsJsonAsync($"/api/models/{Guid.NewGuid()}/forecast", new { }), 404, "no model"),
            "forecast-level-out-of-range" => (await client.PostAsJsonAsync($"/api/models/{_fixture.ModelId}/forecast", new { levels = new[] { 80, 120 } }), 400, "levels[1]"),
            "forecast-origin-outside" => (await client.PostAsJsonAsync($"/api/models/{_fixture.ModelId}/forecast", new { origin = "1999-01-01" }), 400, "origin"),
            "forecast-observation-missing-value" => (await client.PostAsync($"/api/models/{_fixture.ModelId}/forecast", Json("""{ "observations": [ { "timestamp": "2020-03-01", "value": 5 }, { "timestamp": "2020-03-02" } ] }""")), 400, "observations[1].value"),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == expectedStatus, $"{name}: expected {expectedStatus}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(mustMention, body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("   at ", body); // no stack traces
        Assert.Equal(before, await Counts());
    }

    private Task<(int Datasets, int Runs, int Models)> Counts() => _fixture.Factory.QueryAsync(async db =>
        (await db.Datasets.CountAsync(), await db.TrainingRuns.CountAsync(), await db.Models.CountAsync()));
}
