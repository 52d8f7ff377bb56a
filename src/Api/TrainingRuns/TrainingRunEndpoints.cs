using Forecasting.Api.Auth;
using Forecasting.Api.Http;
using Forecasting.Api.Jobs;
using Forecasting.Domain;
using Forecasting.Persistence.Entities;
using Forecasting.Training.Models;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Forecasting.Api.TrainingRuns;

public static class TrainingRunEndpoints
{
    public static readonly JobResource Resource = new("Training run", "/api/training-runs", "Training runs", "training_run");

    public static RouteGroupBuilder MapTrainingRuns(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapJobGroup(Resource);
        var kinds = routes.ServiceProvider.GetRequiredService<ModelKindRegistry>();
        var clock = routes.ServiceProvider.GetRequiredService<TimeProvider>();
        TrainingRunResponse Respond(TrainingRunEntity run) => TrainingRunResponse.From(run, kinds, clock.GetUtcNow());
        group.MapJobSubmit(QueueAsync)
            .WithSummary("Queue a training run")
            .WithDescription("Validates the request against its dataset and model kind (400 naming each bad field), stores the run and queues it for a background worker. Poll the Location for status and progress.");
        group.MapJobList<TrainingRunEntity, TrainingRunResponse>(Resource, run => run, Respond);
        group.MapJobGet<TrainingRunEntity>(Resource, (run, _) => TypedResults.Ok(Respond(run))).Produces<TrainingRunResponse>()
            .WithSummary("Status, progress, error and model of a training run");
        group.MapJobCancel<TrainingRunEntity, TrainingRunResponse>(Resource, Respond, "its next batch");
        return group;
    }

    internal static Task<Results<Accepted<TrainingRunQueued>, ValidationProblem, ProblemHttpResult>> QueueAsync(
        TrainingRunSpec request, TrainingRunValidator validator, JobSubmission submission,
        JobQuota quota, HttpContext http, CancellationToken cancellationToken) =>
        JobEndpoints.SubmitAsync(Resource, JobKind.TrainingRun, request.DatasetId,
            () => validator.ValidateAsync(request, cancellationToken), "The training request is invalid",
            keyId => Task.FromResult<TrainingRunEntity?>(NewRow(request, null, keyId)), () => JobWork.Of(request), AuditDetails,
            run => new TrainingRunQueued(run.Id, run.Status.ToWire()), submission, quota, http, cancellationToken);

    /// <summary>Submits a validated run (<see cref="JobSubmission"/>); null when the dataset is gone.</summary>
    internal static Task<TrainingRunEntity?> SubmitAsync(
        TrainingRunSpec request, JobSubmission submission, Guid? scheduleId, Guid? createdByKeyId, CancellationToken cancellationToken)
    {
        var run = NewRow(request, scheduleId, createdByKeyId);
        return submission.SubmitAsync(JobKind.TrainingRun, run, JobWork.Of(request), Resource, AuditDetails(run), cancellationToken);
    }

    private static TrainingRunEntity NewRow(TrainingRunSpec request, Guid? scheduleId, Guid? createdByKeyId) =>
        new()
        {
            DatasetId = request.DatasetId,
            Kind = request.Model.Kind,
            SpecJson = ApiJson.Serialize(request),
            // Unknown until it starts when not given (a statistical run counts its fits then): shown as none, not "0/1".
            Epochs = request.Training?.Epochs ?? 0,
            ScheduleId = scheduleId,
            CreatedByKeyId = createdByKeyId,
        };

    private static object AuditDetails(TrainingRunEntity run) => new { run.DatasetId, kind = run.Kind, scheduleId = run.ScheduleId };
}
