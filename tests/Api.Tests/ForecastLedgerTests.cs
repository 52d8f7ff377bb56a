using System.Data.Common;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Forecasting.Api.Tests.Infrastructure;
using Forecasting.Persistence;
using Forecasting.Tests.Shared;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Forecasting.Api.Tests;

/// <summary>
/// The forecast ledger: forecasts served through a forecaster (and model forecasts with record: true) are recorded, and
/// scored exactly once as their targets arrive, in batches with rows out of order, repeated rows and late forecasts;
/// the live figures equal a direct computation; a failure before the append commits leaves neither rows nor scores.
/// </summary>
public sealed class ForecastLedgerTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private const int Days = 120; // 2020-01-01 … 2020-04-29

    /// <summary>The truth of both series on day t (0 = 2020-01-01): a weekly pattern, s2 higher, and a wobble no model sees.</summary>
    private static double Truth(string series, int t) =>
        100 + 10 * Math.Sin(2 * Math.PI * t / 7) + (series == "s2" ? 50 : 0) + 4 * Math.Sin(1.3 * t + (series == "s2" ? 1 : 0)) + 0.05 * t;

    private static int DayOf(string date) => (DateTime.Parse(date, CultureInfo.InvariantCulture) - new DateTime(2020, 1, 1)).Days;

    private static string DateOf(int t) => new DateTime(2020, 1, 1).AddDays(t).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static async Task<string> UploadAsync(HttpClient client, string name)
    {
        var response = await client.PostAsJsonAsync("/api/datasets", new
        {
            name, frequency = "D",
            series = new[] { "s1", "s2" }.Select(id => new { id, start = "2020-01-01", columns = new Dictionary<string, object> { ["value"] = Enumerable.Range(0, Days).Select(t => Truth(id, t)).ToArray() } }),
        });
        var body = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body.ToString());
        return body.Id();
    }

    private static async Task<string> TrainAsync(HttpClient client, string datasetId) => (await client.TrainAsync(new
    {
        datasetId, targets = new[] { "value" }, horizon = 7, model = new { kind = "seasonal_naive", season = 7 },
        split = new { trainFrom = "2020-01-01", trainTo = "2020-03-31", validFrom = "2020-04-01" },
    })).Id();

    /// <summary>Appends rows (series, day) as a long CSV in the order given; returns the answer.</summary>
    private static async Task<JsonElement> AppendAsync(HttpClient client, string datasetId, IEnumerable<(string Series, int Day)> rows, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var csv = new StringBuilder("unique_id,ds,value\n");
        foreach (var (series, day) in rows) csv.Append(series).Append(',').Append(DateOf(day)).Append(',').Append(Truth(series, day).ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        using var form = new MultipartFormDataContent { { new StringContent(csv.ToString(), Encoding.UTF8, "text/csv"), "file", "batch.csv" } };
        var response = await client.PostAsync($"/api/datasets/{datasetId}/observations", form);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{response.StatusCode}: {text}");
        return expected == HttpStatusCode.OK ? JsonDocument.Parse(text).RootElement.Clone() : default;
    }

    /// <summary>A forecast answer's values: (series, step, timestamp, mean, 80 and 95 bounds).</summary>
    private sealed record Served(string Series, int Step, int Day, double Mean, double Lo80, double Hi80, double Lo95, double Hi95);

    private static IEnumerable<Served> Points(JsonElement forecast)
    {
        var series = forecast.GetProperty("series").GetString()!;
        var step = 0;
        foreach (var point in forecast.GetProperty("points").EnumerateArray())
        {
            var value = point.GetProperty("values").GetProperty("value");
            yield return new Served(series, ++step, DayOf(point.GetProperty("timestamp").GetString()!), value.GetProperty("mean").GetDouble(),
                value.GetProperty("lower").GetProperty("80").GetDouble(), value.GetProperty("upper").GetProperty("80").GetDouble(),
                value.GetProperty("lower").GetProperty("95").GetDouble(), value.GetProperty("upper").GetProperty("95").GetDouble());
        }
    }

    private static async Task<JsonElement> PostOkAsync(HttpClient client, string path, object body)
    {
        var response = await client.PostAsJsonAsync(path, body);
        var json = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, json.ToString());
        return json;
    }

    [Fact]
    public async Task Batches_with_rows_out_of_order_repeated_rows_and_late_forecasts_score_every_record_once_and_the_figures_equal_a_direct_computation()
    {
        await LedgerScenarioAsync(factory.CreateClient(), "ledger", (id, ct) => factory.QueryAsync(db => db.ForecastRecords.Where(r => r.ModelId == id).ToListAsync(ct)));
    }

    [PostgresFact]
    public async Task On_PostgreSQL_the_ledger_scores_every_record_once_and_the_figures_equal_a_direct_computation()
    {
        await using var postgres = await PrivatePostgres.StartAsync();
        var connection = await postgres.CreateDatabaseAsync("ledger");
        await using var onPostgres = ApiFactory.With(new() { ["Database:Provider"] = "postgres", ["ConnectionStrings:Forecasting"] = connection });
        await LedgerScenarioAsync(onPostgres.CreateClient(), "ledger-pg", (id, ct) => onPostgres.QueryAsync(db => db.ForecastRecords.Where(r => r.ModelId == id).ToListAsync(ct)));
    }

    private static async Task LedgerScenarioAsync(HttpClient client, string name, Func<Guid, CancellationToken, Task<List<Persistence.Entities.ForecastRecordEntity>>> recordsOf)
    {
        var datasetId = await UploadAsync(client, name);
        var modelId = await TrainAsync(client, datasetId);
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/forecasters", new { name, modelId })).StatusCode);

        // Served through the forecaster: both series from the end (2020-04-29), 7 steps each.
        var batch = await PostOkAsync(client, $"/api/forecasters/{name}/forecast", new { horizon = 7 });
        var served = batch.GetProperty("forecasts").EnumerateArray().SelectMany(Points).ToList();
        // A late forecast: from an origin in the past, so 4 of its targets are stored already and are scored as it is recorded.
        var late = Points(await PostOkAsync(client, $"/api/forecasters/{name}/forecast", new { series = "s1", origin = "2020-04-25", horizon = 7 })).ToList();
        // A model forecast recorded on request, and one not recorded.
        var asked = Points(await PostOkAsync(client, $"/api/models/{modelId}/forecast", new { series = "s1", horizon = 3, record = true })).ToList();
        await PostOkAsync(client, $"/api/models/{modelId}/forecast", new { series = "s2", horizon = 3 });
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsJsonAsync($"/api/forecasters/{name}/forecast", new { record = false })).StatusCode);

        var records = await recordsOf(Guid.Parse(modelId), CancellationToken.None);
        Assert.Equal(14 + 7 + 3, records.Count);
        Assert.Equal(4, records.Count(r => r.ScoredAt is not null));
        Assert.Equal(3, records.Count(r => r.ForecasterId is null));
        var scoredAtRecord = records.Where(r => r.ScoredAt is not null).ToDictionary(r => r.Id, r => r.ScoredAt);

        // Batch 1: s1's next three days, out of order. Batch 2: s1 repeats them (ignored) and adds two; s2's whole week.
        // Batch 3: a repeated row and s1's last two. Batch 4: only repeated rows.
        var end = Days - 1;
        var scored = new List<int>
        {
            (await AppendAsync(client, datasetId, [("s1", end + 3), ("s1", end + 1), ("s1", end + 2)])).GetProperty("scored").GetInt32(),
        };
        var afterFirst = (await recordsOf(Guid.Parse(modelId), CancellationToken.None)).Where(r => r.ScoredAt is not null).ToDictionary(r => r.Id, r => r.ScoredAt);
        var second = await AppendAsync(client, datasetId, Enumerable.Range(end + 1, 5).Select(d => ("s1", d)).Concat(Enumerable.Range(end + 1, 7).Select(d => ("s2", d))));
        Assert.Equal(3, second.GetProperty("ignored").GetInt32());
        scored.Add(second.GetProperty("scored").GetInt32());
        scored.Add((await AppendAsync(client, datasetId, [("s1", end + 5), ("s1", end + 6), ("s1", end + 7)])).GetProperty("scored").GetInt32());
        var repeated = await AppendAsync(client, datasetId, [("s2", end + 7)]);
        Assert.Equal(0, repeated.GetProperty("added").GetInt32());
        scored.Add(repeated.GetProperty("scored").GetInt32());
        Assert.Equal([3 + 3 + 3, 2 + 7, 2, 0], scored);

        records = await recordsOf(Guid.Parse(modelId), CancellationToken.None);
        Assert.All(records, r => Assert.NotNull(r.ScoredAt));
        Assert.Equal(records.Count, 4 + scored.Sum());
        // Scored once: the records scored earlier kept their score time (and value) through the later batches.
        foreach (var (id, at) in afterFirst) Assert.Equal(at, records.Single(r => r.Id == id).ScoredAt);
        foreach (var (id, at) in scoredAtRecord) Assert.Equal(at, records.Single(r => r.Id == id).ScoredAt);
        var day0 = Forecasting.Domain.Frequency.Daily.ToOrdinal(new DateTime(2020, 1, 1));
        Assert.All(records, r => Assert.Equal(Truth(r.Series, (int)(r.Timestamp - day0)), r.Actual));

        // The live figures, computed here from the answers and the truth.
        var forecasterServed = served.Concat(late).ToList();
        var accuracy = await (await client.GetAsync($"/api/forecasters/{name}/accuracy?bucket=week")).ReadJsonAsync();
        var entry = Assert.Single(accuracy.GetProperty("models").EnumerateArray());
        Assert.Equal(modelId, entry.GetProperty("modelId").GetString());
        Assert.Equal(21, entry.GetProperty("scored").GetInt32());
        var live = entry.GetProperty("live");
        Assert.Equal(forecasterServed.Average(p => Math.Abs(p.Mean - Truth(p.Series, p.Day))), live.GetProperty("mae").GetDouble(), 9);
        Assert.Equal(forecasterServed.Average(p => p.Mean - Truth(p.Series, p.Day)), live.GetProperty("bias").GetDouble(), 9);
        Assert.Equal(forecasterServed.Count(p => Truth(p.Series, p.Day) is var y && y >= p.Lo80 && y <= p.Hi80) / 21.0, live.GetProperty("coverage").GetProperty("80").GetDouble(), 12);
        Assert.Equal(forecasterServed.Count(p => Truth(p.Series, p.Day) is var y && y >= p.Lo95 && y <= p.Hi95) / 21.0, live.GetProperty("coverage").GetProperty("95").GetDouble(), 12);
        Assert.Equal(forecasterServed.Average(p => Winkler(95, Truth(p.Series, p.Day), p.Lo95, p.Hi95)), live.GetProperty("intervalScore").GetProperty("95").GetDouble(), 9);
        Assert.True(entry.GetProperty("validation").GetProperty("mae").GetDouble() > 0);
        var steps = entry.GetProperty("perStep").EnumerateArray().ToList();
        Assert.Equal(Enumerable.Range(1, 7), steps.Select(s => s.GetProperty("step").GetInt32()));
        var stepOne = forecasterServed.Where(p => p.Step == 1).ToList();
        Assert.Equal(stepOne.Average(p => Math.Abs(p.Mean - Truth(p.Series, p.Day))), steps[0].GetProperty("live").GetProperty("mae").GetDouble(), 9);
        Assert.True(steps[0].GetProperty("validation").GetProperty("mae").GetDouble() > 0);
        var buckets = entry.GetProperty("buckets").EnumerateArray().ToList();
        // Targets 2020-04-26 … 2020-05-06: the ISO weeks from Monday 04-20, 04-27 and 05-04.
        Assert.Equal(["2020-04-20", "2020-04-27", "2020-05-04"], buckets.Select(b => b.GetProperty("start").GetString()));
        Assert.Equal(21, buckets.Sum(b => b.GetProperty("live").GetProperty("count").GetInt32()));

        var badBucket = await client.GetAsync($"/api/forecasters/{name}/accuracy?bucket=year");
        Assert.Equal(HttpStatusCode.BadRequest, badBucket.StatusCode);
        Assert.Contains("day, week, month", (await badBucket.ReadJsonAsync()).GetProperty("errors").GetProperty("bucket")[0].GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/forecasters/nobody/accuracy")).StatusCode);

        // The model's ledger holds the forecaster's records and the one asked for.
        var byModel = await (await client.GetAsync($"/api/models/{modelId}/accuracy")).ReadJsonAsync();
        var all = forecasterServed.Concat(asked).ToList();
        Assert.Equal(all.Average(p => Math.Abs(p.Mean - Truth(p.Series, p.Day))), byModel.GetProperty("models")[0].GetProperty("live").GetProperty("mae").GetDouble(), 9);

        // The long table: one row per record, actuals filled.
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/forecasters/{name}/forecasts");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        var csv = (await (await client.SendAsync(request)).Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("model_id,unique_id,target,origin,step,ds,mean,lo-80,hi-80,lo-95,hi-95,actual,recorded_at,scored_at", csv[0]);
        Assert.Equal(21, csv.Length - 1);
        var first = csv[1].Split(',');
        Assert.Equal(["s1", "value", "2020-04-29", "1", "2020-04-30"], first[1..6]);
        Assert.Equal(Truth("s1", end + 1), double.Parse(first[11], CultureInfo.InvariantCulture));
        var json = await (await client.GetAsync($"/api/forecasters/{name}/forecasts?take=5")).ReadJsonAsync();
        Assert.Equal(5, json.GetArrayLength());
        Assert.Equal("2020-04-30", json[0].GetProperty("timestamp").GetString());
    }

    [Fact]
    public async Task A_failure_after_scoring_and_before_the_commit_leaves_neither_the_rows_nor_the_scores_and_the_retry_scores_each_record_once()
    {
        var client = factory.CreateClient();
        var datasetId = await UploadAsync(client, "ledger-crash");
        var modelId = await TrainAsync(client, datasetId);
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/forecasters", new { name = "ledger-crash", modelId })).StatusCode);
        await PostOkAsync(client, "/api/forecasters/ledger-crash/forecast", new { series = "s1", horizon = 7 });

        // The same service and database, with the commit of a transaction that scored records failing once: what a process
        // killed between scoring and commit leaves (a kill earlier in the transaction leaves the same: nothing committed).
        var crash = new CrashBeforeCommit();
        await using var crashing = factory.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
            services.ConfigureDbContext<ForecastingDbContext>(options => options.AddInterceptors(crash.Commands, crash.Transactions))));
        var crashingClient = crashing.CreateClient();
        var week = Enumerable.Range(Days, 7).Select(d => ("s1", d)).ToList();
        await AppendAsync(crashingClient, datasetId, week, HttpStatusCode.InternalServerError);
        Assert.True(crash.Crashed);

        var dataset = await (await client.GetAsync($"/api/datasets/{datasetId}")).ReadJsonAsync();
        Assert.Equal(2 * Days, dataset.GetProperty("rows").GetInt64());
        var records = await factory.QueryAsync(db => db.ForecastRecords.Where(r => r.ModelId == Guid.Parse(modelId)).ToListAsync());
        Assert.Equal(7, records.Count);
        Assert.All(records, r => Assert.Null(r.ScoredAt));

        // The client retries: the rows and the scores commit together, once.
        Assert.Equal(7, (await AppendAsync(crashingClient, datasetId, week)).GetProperty("scored").GetInt32());
        Assert.Equal(0, (await AppendAsync(crashingClient, datasetId, week)).GetProperty("scored").GetInt32());
        records = await factory.QueryAsync(db => db.ForecastRecords.Where(r => r.ModelId == Guid.Parse(modelId)).ToListAsync());
        Assert.All(records, r => Assert.NotNull(r.ScoredAt));
    }

    /// <summary>Fails the first commit of a transaction in which a recorded forecast was scored (an UPDATE of forecast_records).</summary>
    private sealed class CrashBeforeCommit
    {
        private volatile bool _scoring;

        public bool Crashed { get; private set; }

        public DbCommandInterceptor Commands => new CommandWatch(this);

        public DbTransactionInterceptor Transactions => new CommitFailure(this);

        private sealed class CommandWatch(CrashBeforeCommit owner) : DbCommandInterceptor
        {
            public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result,
                CancellationToken cancellationToken = default)
            {
                if (command.CommandText.Contains("UPDATE", StringComparison.OrdinalIgnoreCase) && command.CommandText.Contains("forecast_records", StringComparison.Ordinal))
                    owner._scoring = true;
                return base.NonQueryExecutingAsync(command, eventData, result, cancellationToken);
            }
        }

        private sealed class CommitFailure(CrashBeforeCommit owner) : DbTransactionInterceptor
        {
            public override ValueTask<InterceptionResult> TransactionCommittingAsync(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result,
                CancellationToken cancellationToken = default)
            {
                if (owner._scoring && !owner.Crashed)
                {
                    owner.Crashed = true;
                    throw new InvalidOperationException("Simulated crash between scoring and commit.");
                }
                owner._scoring = false;
                return base.TransactionCommittingAsync(transaction, eventData, result, cancellationToken);
            }
        }
    }

    private static double Winkler(double level, double y, double lower, double upper)
    {
        var alpha = 1 - level / 100;
        return upper - lower + (y < lower ? 2 / alpha * (lower - y) : y > upper ? 2 / alpha * (y - upper) : 0);
    }
}
