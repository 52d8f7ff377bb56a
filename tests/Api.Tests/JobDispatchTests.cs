using System.Net.Http.Json;
using Forecasting.Api.Jobs;
using Forecasting.Api.Tests.Infrastructure;
using Forecasting.Api.TrainingRuns;
using Forecasting.Domain;
using Forecasting.Persistence.Entities;
using Forecasting.Training.Models;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Forecasting.Api.Tests;

/// <summary>A row runs once, under the one job it is dispatched to, and a row whose enqueue was lost is queued again.</summary>
public sealed class JobDispatchTests
{
    [Fact]
    public async Task A_run_saved_but_never_queued_is_queued_by_the_sweeper_and_runs_once()
    {
        await using var factory = ApiFactory.With(new() { ["Jobs:LostAfter"] = "00:00:02" });
        var client = factory.CreateClient();
        var template = await QueueNaiveAsync(client, "lost-enqueue");
        await client.WaitForRunAsync(template.ToString());

        // What an API process leaves when it dies between saving a run and queueing it: a queued row no job claimed.
        var lost = Guid.NewGuid();
        await factory.QueryAsync(async db =>
        {
            var row = await db.TrainingRuns.AsNoTracking().SingleAsync(r => r.Id == template);
            db.TrainingRuns.Add(new TrainingRunEntity
            {
                Id = lost, DatasetId = row.DatasetId, Kind = row.Kind, Queue = row.Queue, Status = JobStatus.Queued, SpecJson = row.SpecJson, Epochs = row.Epochs,
                CreatedAt = DateTimeOffset.UtcNow.AddMinutes(-1),
            });
            return await db.SaveChangesAsync();
        });

        var run = await client.WaitForRunAsync(lost.ToString(), TimeSpan.FromSeconds(60));
        Assert.True(run.GetProperty("status").GetString() == "succeeded", run.ToString());
        Assert.Equal(1, run.GetProperty("attempts").GetInt32());
        Assert.NotNull(await factory.QueryAsync(db => db.TrainingRuns.Where(r => r.Id == lost).Select(r => r.DispatchId).SingleAsync()));
        Assert.Equal(1, await factory.QueryAsync(db => db.Models.CountAsync(m => m.TrainingRunId == lost)));
        Assert.Equal(0, await factory.Services.GetRequiredService<LostJobSweeper>().SweepAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_second_job_for_a_dispatched_run_does_nothing()
    {
        await using var factory = ApiFactory.With([]);
        var client = factory.CreateClient();
        var id = await QueueNaiveAsync(client, "duplicate-job");
        var dispatched = await factory.QueryAsync(db => db.TrainingRuns.Where(r => r.Id == id).Select(r => r.DispatchId).SingleAsync());
        Assert.NotNull(dispatched);

        // A job the row is not dispatched to (queued twice, e.g. by a sweeper racing a slow enqueue) leaves it alone.
        await factory.Services.GetRequiredService<TrainingRunExecutor>().ExecuteAsync(id, "another-job", CancellationToken.None);
        var run = await client.WaitForRunAsync(id.ToString());
        Assert.True(run.GetProperty("status").GetString() == "succeeded", run.ToString());
        Assert.Equal(1, run.GetProperty("attempts").GetInt32());
        Assert.Equal(dispatched, await factory.QueryAsync(db => db.TrainingRuns.Where(r => r.Id == id).Select(r => r.DispatchId).SingleAsync()));
        Assert.Equal(1, await factory.QueryAsync(db => db.Models.CountAsync(m => m.TrainingRunId == id)));
    }

    [Fact]
    public async Task A_run_the_job_queue_refuses_is_removed_and_the_audit_says_so()
    {
        await using var factory = ApiFactory.With([]);
        await using var refusing = factory.WithWebHostBuilder(builder => builder.ConfigureTestServices(services => services.AddSingleton<IJobQueue, RefusingQueue>()));
        var client = refusing.CreateClient();
        var dataset = (await TestDatasets.UploadDailyAsync(client, days: 60, name: "refused")).Id();
        var response = await client.PostAsJsonAsync("/api/training-runs", new { datasetId = dataset, targets = new[] { "value" }, model = new { kind = "naive" } });
        Assert.True((int)response.StatusCode >= 500, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");

        await using var scope = refusing.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Forecasting.Persistence.ForecastingDbContext>();
        Assert.False(await db.TrainingRuns.AnyAsync());
        var actions = await db.AuditEvents.Where(e => e.Resource == "training_run").OrderBy(e => e.Id).Select(e => e.Action).ToListAsync();
        Assert.Equal(["training_run.create", "training_run.withdraw"], actions);
    }

    [Fact]
    public async Task Cancelling_a_queued_run_withdraws_its_job_from_the_queue()
    {
        // role=api: nothing executes here, so the run stays queued until it is cancelled.
        await using var factory = ApiFactory.With(new() { ["role"] = "api" });
        var client = factory.CreateClient();
        var id = await QueueNaiveAsync(client, "withdrawn");
        var dispatchId = await factory.QueryAsync(db => db.TrainingRuns.Where(r => r.Id == id).Select(r => r.DispatchId).SingleAsync());
        using (var connection = factory.Services.GetRequiredService<Hangfire.JobStorage>().GetConnection())
            Assert.Equal("Enqueued", connection.GetStateData(dispatchId!)?.Name);

        Assert.Equal(System.Net.HttpStatusCode.Accepted, (await client.PostAsync($"/api/training-runs/{id}/cancel", null)).StatusCode);
        using (var connection = factory.Services.GetRequiredService<Hangfire.JobStorage>().GetConnection())
            Assert.Equal("Deleted", connection.GetStateData(dispatchId!)?.Name);
        Assert.Equal("cancelled", (await client.WaitForRunAsync(id.ToString())).GetProperty("status").GetString());
    }

    private sealed class RefusingQueue : IJobQueue
    {
        public bool SurvivesRestart => true;
        public string Enqueue(JobKind kind, Guid id, WorkQueue queue) => throw new InvalidOperationException("the job store is unreachable");
        public void Withdraw(string dispatchId) { }
    }

    private static async Task<Guid> QueueNaiveAsync(HttpClient client, string name)
    {
        var dataset = (await TestDatasets.UploadDailyAsync(client, days: 60, name: name)).Id();
        var queued = await (await client.PostAsJsonAsync("/api/training-runs", new
        {
            datasetId = dataset, targets = new[] { "value" }, horizon = 7, model = new { kind = "seasonal_naive", season = 7 },
            split = new { trainFrom = "2020-01-01", trainTo = "2020-02-29" },
        })).ReadJsonAsync();
        return Guid.Parse(queued.Id());
    }
}
