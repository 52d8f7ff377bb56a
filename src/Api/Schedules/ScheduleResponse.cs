using Forecasting.Api.Http;
using Forecasting.Api.TrainingRuns;
using Forecasting.Domain;
using Forecasting.Persistence.Entities;

namespace Forecasting.Api.Schedules;

/// <summary>A schedule as clients see it; nextFireAt is the cron's next time, recentRuns (the last 10, newest first) only from GET by id.</summary>
public sealed record ScheduleResponse(
    Guid Id,
    string Cron,
    string TimeZone,
    string Promote,
    TrainingRunSpec Request,
    Guid? ActiveModelId,
    Guid? LastRunId,
    DateTimeOffset? LastFiredAt,
    DateTimeOffset? NextFireAt,
    PromotionDecision? LastDecision,
    DateTimeOffset CreatedAt,
    IReadOnlyList<TrainingRunResponse>? RecentRuns)
{
    public static ScheduleResponse From(ScheduleEntity schedule, DateTimeOffset? nextFireAt, IReadOnlyList<TrainingRunResponse>? recentRuns) => new(
        schedule.Id, schedule.Cron, schedule.TimeZone, schedule.Promote.ToWire(), ApiJson.Deserialize<TrainingRunSpec>(schedule.SpecJson),
        schedule.ActiveModelId, schedule.LastRunId, schedule.LastFiredAt, nextFireAt,
        schedule.LastDecisionJson is null ? null : ApiJson.Deserialize<PromotionDecision>(schedule.LastDecisionJson),
        schedule.CreatedAt, recentRuns);
}
