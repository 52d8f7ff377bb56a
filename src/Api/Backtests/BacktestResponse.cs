using System.Text.Json;
using Forecasting.Api.Http;
using Forecasting.Api.Jobs;
using Forecasting.Domain;
using Forecasting.Persistence.Entities;

namespace Forecasting.Api.Backtests;

/// <summary>
/// Origins forecast so far, of the total; <c>resumedFrom</c>: the completed origins this attempt continued after (null: from
/// the first); <c>secondsLeft</c>: while it runs, the mean time per origin done so far times the origins left.
/// </summary>
public sealed record BacktestProgress(int Done, int Total, int? ResumedFrom, double? SecondsLeft);

/// <summary>A backtest as clients see it; the list leaves out the forecasts.</summary>
public sealed record BacktestResponse(
    Guid Id,
    string Status,
    Guid DatasetId,
    WorkQueue Queue,
    BacktestProgress Progress,
    string? Error,
    int Attempts,
    bool CancelRequested,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    BacktestRequest Request,
    MetricSet? Metrics,
    JsonElement? Forecasts)
{
    /// <summary>Series the model could not forecast at some origins (too little history for its window), with how many and why; null when none.</summary>
    public IReadOnlyList<BacktestSkip>? Skipped { get; init; }

    public static BacktestResponse From(BacktestEntity backtest, bool withForecasts, DateTimeOffset now) => new(
        backtest.Id, backtest.Status.ToWire(), backtest.DatasetId, backtest.Queue,
        new BacktestProgress(backtest.Done, backtest.Total, backtest.ResumedFrom, JobTimeLeft.Seconds(backtest, backtest.Done, backtest.Total, backtest.ResumedFrom, now)),
        backtest.Error, backtest.Attempts, backtest.CancelRequested, backtest.CreatedAt, backtest.StartedAt, backtest.FinishedAt,
        ApiJson.Deserialize<BacktestRequest>(backtest.SpecJson),
        backtest.MetricsJson is null ? null : ApiJson.Deserialize<MetricSet>(backtest.MetricsJson),
        withForecasts && backtest.ForecastsJson is not null ? JsonDocument.Parse(backtest.ForecastsJson).RootElement.Clone() : null)
    {
        Skipped = backtest.SkippedJson is null ? null : ApiJson.Deserialize<List<BacktestSkip>>(backtest.SkippedJson),
    };
}

/// <summary>The 202 answer to a queued backtest.</summary>
public sealed record BacktestQueued(Guid Id, string Status);
