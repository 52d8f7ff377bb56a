using Forecasting.Api.Auth;
using Forecasting.Api.Http;
using Forecasting.Persistence;
using Forecasting.Persistence.Entities;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Forecasting.Api.Jobs;

/// <summary>
/// The cap on one stored key's queued and running training runs and backtests (Limits:MaxActiveJobsPerKey). Open
/// mode and the configuration admin key have no key id and are not capped.
/// </summary>
public sealed class JobQuota(ForecastingDbContext db, IOptions<Limits> limits)
{
    /// <summary>A 429 problem when the key is at its cap; null when it may queue one more job.</summary>
    public async Task<ProblemHttpResult?> RefuseAsync(ApiCaller caller, CancellationToken cancellationToken)
    {
        if (caller.KeyId is not { } keyId) return null;
        var runs = await db.TrainingRuns.CountAsync(r => r.CreatedByKeyId == keyId && (r.Status == JobStatus.Queued || r.Status == JobStatus.Running), cancellationToken);
        var backtests = await db.Backtests.CountAsync(b => b.CreatedByKeyId == keyId && (b.Status == JobStatus.Queued || b.Status == JobStatus.Running), cancellationToken);
        var max = limits.Value.MaxActiveJobsPerKey;
        if (runs + backtests < max) return null;
        return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many active jobs for this key",
            detail: $"{caller.Actor} has {runs} training run(s) and {backtests} backtest(s) queued or running; the limit is {max} (Limits:MaxActiveJobsPerKey). " +
                "Wait for one to finish or cancel one.");
    }
}
