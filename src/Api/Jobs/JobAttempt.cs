using Forecasting.Persistence;
using Forecasting.Persistence.Entities;

namespace Forecasting.Api.Jobs;

/// <summary>
/// One started attempt at a job: its row (marked running), the checkpoint it resumes from (null: from the start),
/// its scope's context and services, its lifecycle, and its token (cancelled when the worker stops or the row's
/// cancel flag is seen).
/// </summary>
public sealed record JobAttempt<TRecord, TResume>(
    TRecord Row, TResume? Resume, ForecastingDbContext Db, IServiceProvider Services, JobLifecycle<TRecord> Lifecycle, CancellationToken Cancel)
    where TRecord : JobRecord where TResume : class;
