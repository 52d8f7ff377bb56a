using Forecasting.Api.TrainingRuns;
using Forecasting.Domain;
using Forecasting.Persistence.Entities;

namespace Forecasting.Api.Schedules;

/// <summary>Checks the cron (<see cref="CronSchedule"/>), the time zone, the policy, and the training request (fields prefixed "trainingRun.").</summary>
public sealed class ScheduleValidator(TrainingRunValidator trainingRuns)
{
    /// <summary>Checks <paramref name="request"/>; <paramref name="frame"/> is its training request's dataset as loaded (null: there is none).</summary>
    public IReadOnlyList<FieldError> Validate(ScheduleRequest request, DatasetFrame? frame)
    {
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(request.Cron))
            errors.Add(new FieldError("cron", $"cron is required. {CronSchedule.AcceptedForms}"));
        else if (!CronSchedule.TryParse(request.Cron.Trim(), out _, out var problem))
            errors.Add(new FieldError("cron", problem!));
        // A valid expression may still never fire (February 30th): refuse it here rather than schedule nothing.
        else if (CronSchedule.NextFire(request.Cron.Trim(), TimeZoneInfo.Utc, DateTimeOffset.UtcNow) is null)
            errors.Add(new FieldError("cron", $"'{request.Cron}' never fires (no matching time from now on); check the day and month fields."));
        if (request.TimeZone is not null && !TryFindTimeZone(request.TimeZone, out _))
            errors.Add(new FieldError("timeZone", $"Unknown time zone '{request.TimeZone}'; use an IANA id such as Europe/Paris, or leave it out for UTC."));
        if (request.Promote is not null && ParsePromote(request.Promote) is null)
            errors.Add(new FieldError("promote", $"promote must be one of {string.Join(", ", Policies.Keys)}."));
        if (request.TrainingRun is null)
            errors.Add(new FieldError("trainingRun", "trainingRun is required: the same body as POST /api/training-runs."));
        else
            errors.AddRange(trainingRuns.Validate(request.TrainingRun, frame)
                .Select(e => e with { Field = $"trainingRun.{e.Field}" }));
        return errors;
    }

    private static readonly Dictionary<string, PromotePolicy> Policies = Enum.GetValues<PromotePolicy>().ToDictionary(p => p.ToWire());

    /// <summary>The policy a request names (its default, if_better, when it names none); null when the name is not a policy.</summary>
    public static PromotePolicy? ParsePromote(string? name) =>
        name is null ? PromotePolicy.IfBetter : Policies.TryGetValue(name, out var policy) ? policy : null;

    public static bool TryFindTimeZone(string id, out TimeZoneInfo zone)
    {
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(id);
            return true;
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            zone = TimeZoneInfo.Utc;
            return false;
        }
    }
}
