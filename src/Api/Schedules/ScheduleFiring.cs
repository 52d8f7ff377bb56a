using Forecasting.Api.Http;
using Forecasting.Api.Jobs;
using Forecasting.Api.TrainingRuns;
using Forecasting.Domain;
using Forecasting.Persistence;
using Forecasting.Persistence.Entities;
using Forecasting.Training.Models;
using Microsoft.EntityFrameworkCore;

namespace Forecasting.Api.Schedules;

/// <summary>One firing of a schedule: queues a training run from its stored request, its date split shifted onto the newest data (<see cref="SplitShift"/>).</summary>
public sealed class ScheduleFiring(ForecastingDbContext db, DatasetStore datasets, JobSubmission submission)
{
    /// <summary>The queued run, or null when the schedule no longer exists. <paramref name="createdByKeyId"/>: the key that triggered it by hand.</summary>
    public async Task<TrainingRunEntity?> FireAsync(Guid scheduleId, Guid? createdByKeyId, CancellationToken cancellationToken)
    {
        var schedule = await db.Schedules.FirstOrDefaultAsync(s => s.Id == scheduleId, cancellationToken);
        if (schedule is null) return null;
        var spec = ApiJson.Deserialize<TrainingRunSpec>(schedule.SpecJson);
        var frame = await datasets.LoadAsync(spec.DatasetId, spec.Series, null, cancellationToken);
        if (frame is { Series.Count: > 0 })
            spec = SplitShift.Apply(spec, frame.Frequency, frame.Frequency.StepsBetween(schedule.DataEnd, SplitShift.DataEnd(frame, spec)));
        var run = await TrainingRunEndpoints.SubmitAsync(spec, submission, schedule.Id, createdByKeyId, cancellationToken)
            ?? throw new UserInputException($"The schedule's dataset '{spec.DatasetId}' was deleted; delete the schedule or create a new one on a current dataset.", "trainingRun.datasetId");
        schedule.LastRunId = run.Id;
        schedule.LastFiredAt = run.CreatedAt;
        await db.SaveChangesAsync(CancellationToken.None);
        return run;
    }
}
