using System.Net.Http.Json;
using System.Text.Json;
using Forecasting.Api.Http;
using Forecasting.Api.Jobs;
using Forecasting.Api.Tests.Infrastructure;
using Forecasting.Api.TrainingRuns;
using Forecasting.Domain;
using Forecasting.Persistence;
using Forecasting.Persistence.Entities;
using Forecasting.Training.Models;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Forecasting.Api.Tests;

/// <summary>
/// The executor's side of resuming, in process: a row left running with a checkpoint (taken by the model kind's own
/// training loop, which then "died") is resumed and ends with the uninterrupted run's weights, on either backend; a checkpoint that
/// cannot be read is dropped and the run trains from the start. The process-level kill -9 test is CrashRecoveryTests.
/// </summary>
public sealed class TrainingRunResumeTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private static object Request(string datasetId, string backend) => new
    {
        datasetId, targets = new[] { "value" }, horizon = 3, windowLength = 14, strategy = "direct",
        split = new { trainFrom = "2020-01-01", trainTo = "2020-03-31", validFrom = "2020-04-01" },
        model = new { kind = "gru", units = new[] { 8 }, recurrentDropout = 0.1 },
        training = new { epochs = 8, batchSize = 16, patience = 3, seed = 11, backend },
    };

    [Theory]
    [InlineData("auto")] // the managed engine, for this size
    [InlineData("torch")]
    public async Task A_run_left_with_a_checkpoint_resumes_after_its_epoch_and_equals_the_uninterrupted_run(string backend)
    {
        var (client, straight, row) = await TrainStraightAsync(backend);
        Assert.Equal(backend == "torch" ? "torch" : "managed", await BackendOfAsync(client, straight));

        var checkpoint = await CheckpointAfterAsync(row, epoch: 3);
        var resumedId = await InsertInterruptedCopyAsync(row, checkpoint.Epoch, checkpoint.State);
        await factory.Services.GetRequiredService<TrainingRunExecutor>().ExecuteAsync(resumedId, "test-dispatch", CancellationToken.None);

        var resumed = await client.WaitForRunAsync(resumedId.ToString());
        Assert.True(resumed.GetProperty("status").GetString() == "succeeded", resumed.ToString());
        Assert.Equal(3, resumed.GetProperty("progress").GetProperty("resumedFromEpoch").GetInt32());
        Assert.Equal(straight.GetProperty("progress").GetProperty("epoch").GetInt32(), resumed.GetProperty("progress").GetProperty("epoch").GetInt32());
        await AssertSameModelAsync(client, straight, resumed);
        Assert.False(await factory.QueryAsync(db => db.Checkpoints.AnyAsync(c => c.JobId == resumedId)));
    }

    [Fact]
    public async Task A_checkpoint_that_cannot_be_read_is_dropped_and_the_run_trains_from_the_start()
    {
        var (client, straight, row) = await TrainStraightAsync("auto");
        var resumedId = await InsertInterruptedCopyAsync(row, 3, "not a checkpoint"u8.ToArray());
        await factory.Services.GetRequiredService<TrainingRunExecutor>().ExecuteAsync(resumedId, "test-dispatch", CancellationToken.None);

        var run = await client.WaitForRunAsync(resumedId.ToString());
        Assert.True(run.GetProperty("status").GetString() == "succeeded", run.ToString());
        Assert.False(run.GetProperty("progress").TryGetProperty("resumedFromEpoch", out var from) && from.ValueKind != JsonValueKind.Null, run.ToString());
        await AssertSameModelAsync(client, straight, run);
        Assert.False(await factory.QueryAsync(db => db.Checkpoints.AnyAsync(c => c.JobId == resumedId)));
    }

    private async Task<(HttpClient Client, JsonElement Run, TrainingRunEntity Row)> TrainStraightAsync(string backend)
    {
        var client = factory.CreateClient();
        var datasetId = (await TestDatasets.UploadDailyAsync(client, days: 140)).Id();
        var queued = await (await client.PostAsJsonAsync("/api/training-runs", Request(datasetId, backend))).ReadJsonAsync();
        var run = await client.WaitForRunAsync(queued.Id());
        Assert.True(run.GetProperty("status").GetString() == "succeeded", run.ToString());
        var row = await factory.QueryAsync(db => db.TrainingRuns.AsNoTracking().FirstAsync(r => r.Id == Guid.Parse(queued.Id())));
        return (client, run, row);
    }

    /// <summary>Trains the row's request through its model kind, saving after <paramref name="epoch"/>, and stops there.</summary>
    private async Task<TrainingCheckpoint> CheckpointAfterAsync(TrainingRunEntity row, int epoch)
    {
        var spec = ApiJson.Deserialize<TrainingRunSpec>(row.SpecJson);
        var frame = (await factory.QueryAsync(db => new DatasetStore(db).LoadAsync(spec.DatasetId, spec.Series, null, CancellationToken.None)))!;
        var (periods, _) = SplitResolver.Resolve(spec.Split, frame.Frequency, frame.Series);
        var kind = factory.Services.GetRequiredService<ModelKindRegistry>().Get(spec.Model.Kind);
        var stopAt = new StopAfter(epoch);
        Assert.Throws<OperationCanceledException>(() => kind.Train(new TrainingInput(frame, spec, periods) { Checkpoints = stopAt }, null, CancellationToken.None));
        return stopAt.Saved!;
    }

    private async Task<Guid> InsertInterruptedCopyAsync(TrainingRunEntity row, int step, byte[] state)
    {
        var id = Guid.NewGuid();
        await factory.QueryAsync(async db =>
        {
            db.TrainingRuns.Add(new TrainingRunEntity
            {
                Id = id, DatasetId = row.DatasetId, Kind = row.Kind, Queue = row.Queue, Status = JobStatus.Running, SpecJson = row.SpecJson, Epoch = step, Epochs = row.Epochs,
                Attempts = 1, CreatedAt = DateTimeOffset.UtcNow, StartedAt = DateTimeOffset.UtcNow,
            });
            db.Checkpoints.Add(new CheckpointEntity { JobId = id, Kind = CheckpointKind.TrainingRun, Step = step, State = state, CreatedAt = DateTimeOffset.UtcNow });
            return await db.SaveChangesAsync();
        });
        return id;
    }

    private static async Task<string?> BackendOfAsync(HttpClient client, JsonElement run) =>
        (await (await client.GetAsync($"/api/models/{run.GetProperty("modelId").GetString()}")).ReadJsonAsync()).GetProperty("details").GetProperty("backend").GetString();

    private static async Task AssertSameModelAsync(HttpClient client, JsonElement expected, JsonElement actual)
    {
        var a = await client.GetByteArrayAsync($"/api/models/{expected.GetProperty("modelId").GetString()}/weights");
        var b = await client.GetByteArrayAsync($"/api/models/{actual.GetProperty("modelId").GetString()}/weights");
        Assert.True(a.AsSpan().SequenceEqual(b), "the weights differ from the uninterrupted run's");
        var history = async (JsonElement run) => (await (await client.GetAsync($"/api/models/{run.GetProperty("modelId").GetString()}")).ReadJsonAsync())
            .GetProperty("history").EnumerateArray().Select(e => (e.GetProperty("epoch").GetInt32(), e.GetProperty("trainLoss").GetDouble())).ToList();
        Assert.Equal(await history(expected), await history(actual));
    }

    /// <summary>Saves after one epoch, then stops training as a crash would.</summary>
    private sealed class StopAfter(int epoch) : ITrainingCheckpoints
    {
        public TrainingCheckpoint? Saved { get; private set; }
        public TrainingCheckpoint? Latest => null;
        public bool IsDue(int e) => e == epoch;

        public void Save(TrainingCheckpoint checkpoint)
        {
            Saved = checkpoint;
            throw new OperationCanceledException();
        }
    }
}
