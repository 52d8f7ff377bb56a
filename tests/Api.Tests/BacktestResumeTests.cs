using System.Net.Http.Json;
using System.Text.Json;
using Forecasting.Api.Backtests;
using Forecasting.Api.Http;
using Forecasting.Api.Jobs;
using Forecasting.Api.Tests.Infrastructure;
using Forecasting.Persistence;
using Forecasting.Persistence.Entities;
using Forecasting.Training.Models;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Forecasting.Api.Tests;

/// <summary>
/// A backtest taken over after a crash continues after its last completed origin: a checkpoint taken by the
/// rolling-origin loop mid-way (between refits), stored for a queued backtest row, then the executor runs that
/// row; its forecasts and metrics equal the uninterrupted backtest's exactly, and the checkpoint is gone.
/// </summary>
public sealed class BacktestResumeTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    public static TheoryData<string> Models => ["sarima", "linear"];

    [Theory]
    [MemberData(nameof(Models))]
    public async Task A_resumed_backtest_continues_after_its_last_completed_origin_and_equals_the_uninterrupted_one(string model)
    {
        var client = factory.CreateClient();
        var datasetId = (await TestDatasets.UploadDailyAsync(client, days: 120)).Id();
        object request = model == "sarima"
            ? new
            {
                datasetId, targets = new[] { "value" },
                model = new { kind = "sarima", order = new[] { 1, 0, 0 }, seasonalOrder = new[] { 0, 1, 1, 7 } },
                trainFrom = "2020-01-01", from = "2020-03-01", to = "2020-03-31", horizon = 3, refitEvery = 7,
            }
            : new
            {
                datasetId, targets = new[] { "value" }, model = new { kind = "linear" }, windowLength = 14,
                training = new { epochs = 5, seed = 3 },
                trainFrom = "2020-01-01", from = "2020-03-01", to = "2020-03-31", horizon = 3,
            };
        var straight = await client.BacktestAsync(request);
        var total = straight.GetProperty("progress").GetProperty("total").GetInt32();

        // The loop itself takes the checkpoint: after 10 origins (3 past the refit at origin 7), then the worker "dies".
        var row = await factory.QueryAsync(db => db.Backtests.AsNoTracking().FirstAsync(b => b.Id == Guid.Parse(straight.Id())));
        var spec = ApiJson.Deserialize<BacktestRequest>(row.SpecJson);
        var frame = await factory.QueryAsync(db => new DatasetStore(db).LoadAsync(spec.DatasetId, null, null, CancellationToken.None));
        var kind = factory.Services.GetRequiredService<ModelKindRegistry>().Get(spec.Model.Kind);
        BacktestCheckpoint? checkpoint = null;
        Assert.Throws<OperationCanceledException>(() => Backtester.Run(kind, frame!, spec, null, CancellationToken.None, completed: (done, forecasts, skipped) =>
        {
            if (done < 10) return;
            checkpoint = new BacktestCheckpoint(done, forecasts.ToList(), skipped.ToList());
            throw new OperationCanceledException();
        }));

        var resumedId = Guid.NewGuid();
        await factory.QueryAsync(async db =>
        {
            db.Backtests.Add(new BacktestEntity
            {
                Id = resumedId, DatasetId = row.DatasetId, Kind = row.Kind, Queue = row.Queue, Status = JobStatus.Running, SpecJson = row.SpecJson, Done = 10, Total = row.Total,
                Attempts = 1, CreatedAt = DateTimeOffset.UtcNow, StartedAt = DateTimeOffset.UtcNow,
            });
            db.Checkpoints.Add(new CheckpointEntity { JobId = resumedId, Kind = CheckpointKind.Backtest, Step = 10, State = checkpoint!.ToBytes(), CreatedAt = DateTimeOffset.UtcNow });
            return await db.SaveChangesAsync();
        });
        await factory.Services.GetRequiredService<BacktestExecutor>().ExecuteAsync(resumedId, "test-dispatch", CancellationToken.None);

        var resumed = await (await client.GetAsync($"/api/backtests/{resumedId}")).ReadJsonAsync();
        Assert.True(resumed.GetProperty("status").GetString() == "succeeded", resumed.ToString());
        Assert.Equal(2, resumed.GetProperty("attempts").GetInt32());
        Assert.Equal(10, resumed.GetProperty("progress").GetProperty("resumedFrom").GetInt32());
        Assert.Equal(total, resumed.GetProperty("progress").GetProperty("done").GetInt32());
        Assert.Equal(straight.GetProperty("forecasts").GetRawText(), resumed.GetProperty("forecasts").GetRawText());
        Assert.Equal(straight.GetProperty("metrics").GetRawText(), resumed.GetProperty("metrics").GetRawText());
        Assert.False(await factory.QueryAsync(db => db.Checkpoints.AnyAsync(c => c.JobId == resumedId)));
    }
}
