using System.Globalization;
using System.Text;
using Forecasting.Api.Auth;
using Forecasting.Api.Http;
using Forecasting.Domain;
using Forecasting.Persistence;
using Forecasting.Persistence.Entities;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Forecasting.Api.Ledger;

/// <summary>The forecast ledger over HTTP: a forecaster's (or a model's) recorded forecasts, live accuracy, and drift events.</summary>
public static class LedgerEndpoints
{
    public static IEndpointRouteBuilder MapForecastLedger(this IEndpointRouteBuilder routes)
    {
        var forecasters = routes.MapGroup("/api/forecasters").WithTags("Forecasters");
        forecasters.MapGet("/{name}/accuracy", ForecasterAccuracyAsync).RequireScope(ApiScope.Read)
            .WithSummary("Live accuracy of the forecasts served, beside validation")
            .WithDescription("Per model served and target: MAE, MASE, bias, 80/95 coverage and interval (Winkler) score of the scored forecasts, overall, per horizon step and per bucket (day, week or month of the target date; default day), each beside the model's validation figures.");
        forecasters.MapGet("/{name}/forecasts", ForecasterRecordsAsync).RequireScope(ApiScope.Read)
            .WithSummary("The forecasts served, as recorded (JSON, or CSV with Accept: text/csv)")
            .WithDescription("One row per model, series, target, origin and step: mean, 80/95 bounds, and the actual once observed. JSON is paged (skip, take); CSV is the whole table.");
        forecasters.MapGet("/{name}/events", EventsAsync).RequireScope(ApiScope.Read).WithSummary("The forecaster's drift events, newest first");
        forecasters.MapGet("/{name}/anomalies", AnomaliesAsync).RequireScope(ApiScope.Read)
            .WithSummary("Observations the forecaster's model flagged on arrival, newest first")
            .WithDescription("Recorded by appends with check=<forecaster> (POST /api/datasets/{id}/observations): series, target, timestamp, actual, the one-step forecast's mean and bounds at the level asked, and the score. Paged (skip, take).");
        var models = routes.MapGroup("/api/models").WithTags("Models");
        models.MapGet("/{id:guid}/accuracy", ModelAccuracyAsync).RequireScope(ApiScope.Read)
            .WithSummary("Live accuracy of the model's recorded forecasts (served by forecasters, or asked with record: true)");
        models.MapGet("/{id:guid}/forecasts", ModelRecordsAsync).RequireScope(ApiScope.Read)
            .WithSummary("The model's recorded forecasts (JSON, or CSV with Accept: text/csv)");
        return routes;
    }

    private static async Task<Results<Ok<LedgerAccuracy>, ValidationProblem, ProblemHttpResult>> ForecasterAccuracyAsync(
        string name, string? bucket, ForecastingDbContext db, CancellationToken cancellationToken)
    {
        var forecaster = await ForecasterIdAsync(db, name, cancellationToken);
        if (forecaster is null) return ForecasterNotFound(name);
        return await AccuracyAsync(db, db.ForecastRecords.Where(r => r.ForecasterId == forecaster), bucket, cancellationToken);
    }

    private static async Task<Results<Ok<LedgerAccuracy>, ValidationProblem, ProblemHttpResult>> ModelAccuracyAsync(
        Guid id, string? bucket, ForecastingDbContext db, CancellationToken cancellationToken)
    {
        if (!await db.Models.AnyAsync(m => m.Id == id, cancellationToken) && !await db.ForecastRecords.AnyAsync(r => r.ModelId == id, cancellationToken))
            return Problems.NotFound("Model", id);
        return await AccuracyAsync(db, db.ForecastRecords.Where(r => r.ModelId == id), bucket, cancellationToken);
    }

    private static async Task<Results<Ok<LedgerAccuracy>, ValidationProblem, ProblemHttpResult>> AccuracyAsync(
        ForecastingDbContext db, IQueryable<ForecastRecordEntity> query, string? bucketText, CancellationToken cancellationToken)
    {
        var bucket = AccuracyBucket.Day;
        if (bucketText is not null && !WireNames.TryParse(bucketText, out bucket))
            return Problems.Invalid([new FieldError("bucket", $"'{bucketText}' is not a bucket; use {string.Join(", ", WireNames.All(typeof(AccuracyBucket)))}.")]);
        var records = await query.AsNoTracking().ToListAsync(cancellationToken);
        var stepNumbered = records.Any(r => r.Frequency == Frequency.Steps.Code);
        if (stepNumbered && bucketText is not null)
            return Problems.Invalid([new FieldError("bucket", "The recorded forecasts are of step-numbered data, which has no dates to bucket by; leave bucket out.")]);
        var modelIds = records.Select(r => r.ModelId).Distinct().ToList();
        var metrics = await db.Models.AsNoTracking().Where(m => modelIds.Contains(m.Id)).Select(m => new { m.Id, m.MetricsJson }).ToListAsync(cancellationToken);
        var validation = metrics.ToDictionary(m => m.Id, m => ValidationFigures.Read(m.MetricsJson));
        AccuracyBucket? used = stepNumbered ? null : bucket;
        return TypedResults.Ok(new LedgerAccuracy(used?.ToWire(), LiveAccuracy.MaseScaleText, LiveAccuracy.Compute(records, validation, used)));
    }

    private static async Task<IResult> ForecasterRecordsAsync(string name, int? skip, int? take, HttpRequest http, ForecastingDbContext db, CancellationToken cancellationToken)
    {
        var forecaster = await ForecasterIdAsync(db, name, cancellationToken);
        if (forecaster is null) return ForecasterNotFound(name);
        return await RecordsAsync(db.ForecastRecords.Where(r => r.ForecasterId == forecaster), skip, take, http, cancellationToken);
    }

    private static async Task<IResult> ModelRecordsAsync(Guid id, int? skip, int? take, HttpRequest http, ForecastingDbContext db, CancellationToken cancellationToken)
    {
        if (!await db.Models.AnyAsync(m => m.Id == id, cancellationToken) && !await db.ForecastRecords.AnyAsync(r => r.ModelId == id, cancellationToken))
            return Problems.NotFound("Model", id);
        return await RecordsAsync(db.ForecastRecords.Where(r => r.ModelId == id), skip, take, http, cancellationToken);
    }

    private static async Task<IResult> RecordsAsync(IQueryable<ForecastRecordEntity> query, int? skip, int? take, HttpRequest http, CancellationToken cancellationToken)
    {
        var ordered = query.AsNoTracking().OrderBy(r => r.Id);
        if (http.Headers.Accept.Any(a => a?.Contains("text/csv", StringComparison.OrdinalIgnoreCase) == true))
            return TypedResults.Text(ToCsv(await ordered.ToListAsync(cancellationToken)), "text/csv");
        var page = await ordered.Page(skip, take).ToListAsync(cancellationToken);
        return TypedResults.Ok(page.Select(ToResponse).ToList());
    }

    private static LedgerRecord ToResponse(ForecastRecordEntity r)
    {
        Frequency.TryParse(r.Frequency, out var frequency);
        return new LedgerRecord(r.Id, r.ModelId, r.Series, r.Target, Point(frequency, r.Origin), r.Step, Point(frequency, r.Timestamp), r.Mean,
            r.Lower80, r.Upper80, r.Lower95, r.Upper95, r.RecordedAt, r.Actual, r.ScoredAt);
    }

    private static object Point(Frequency frequency, long ordinal) => frequency == Frequency.Steps ? ordinal : frequency.Format(ordinal);

    /// <summary>The long table: one row per recorded value, columns named as in forecast CSVs (unique_id, ds, lo-80 …); empty cells where unknown.</summary>
    public static string ToCsv(IEnumerable<ForecastRecordEntity> records)
    {
        var csv = new StringBuilder("model_id,unique_id,target,origin,step,ds,mean,lo-80,hi-80,lo-95,hi-95,actual,recorded_at,scored_at\n");
        foreach (var r in records)
        {
            Frequency.TryParse(r.Frequency, out var frequency);
            csv.Append(r.ModelId).Append(',').Append(Csv(r.Series)).Append(',').Append(Csv(r.Target)).Append(',')
                .Append(Point(frequency, r.Origin)).Append(',').Append(r.Step).Append(',').Append(Point(frequency, r.Timestamp)).Append(',')
                .Append(Number(r.Mean)).Append(',').Append(Number(r.Lower80)).Append(',').Append(Number(r.Upper80)).Append(',')
                .Append(Number(r.Lower95)).Append(',').Append(Number(r.Upper95)).Append(',').Append(Number(r.Actual)).Append(',')
                .Append(r.RecordedAt.ToString("O", CultureInfo.InvariantCulture)).Append(',')
                .Append(r.ScoredAt?.ToString("O", CultureInfo.InvariantCulture)).Append('\n');
        }
        return csv.ToString();
    }

    private static string Number(double? value) => value?.ToString("R", CultureInfo.InvariantCulture) ?? "";

    private static string Csv(string text) =>
        text.IndexOfAny([',', '"', '\n', '\r']) < 0 ? text : "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static async Task<Results<Ok<List<DriftEvent>>, ProblemHttpResult>> EventsAsync(string name, int? skip, int? take, ForecastingDbContext db, CancellationToken cancellationToken)
    {
        var forecaster = await ForecasterIdAsync(db, name, cancellationToken);
        if (forecaster is null) return ForecasterNotFound(name);
        var events = await db.DriftEvents.AsNoTracking().Where(e => e.ForecasterId == forecaster).OrderByDescending(e => e.Id).Page(skip, take).ToListAsync(cancellationToken);
        return TypedResults.Ok(events.Select(DriftEvent.From).ToList());
    }

    private static async Task<Results<Ok<List<AnomalyFlag>>, ProblemHttpResult>> AnomaliesAsync(string name, int? skip, int? take, ForecastingDbContext db, CancellationToken cancellationToken)
    {
        var forecaster = await ForecasterIdAsync(db, name, cancellationToken);
        if (forecaster is null) return ForecasterNotFound(name);
        var flags = await db.AnomalyFlags.AsNoTracking().Where(f => f.ForecasterId == forecaster).OrderByDescending(f => f.Id).Page(skip, take).ToListAsync(cancellationToken);
        return TypedResults.Ok(flags.Select(AnomalyFlag.From).ToList());
    }

    private static Task<Guid?> ForecasterIdAsync(ForecastingDbContext db, string name, CancellationToken cancellationToken) =>
        db.Forecasters.Where(f => f.Name == name).Select(f => (Guid?)f.Id).FirstOrDefaultAsync(cancellationToken);

    private static ProblemHttpResult ForecasterNotFound(string name) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Forecaster not found", detail: $"No forecaster is named '{name}'.");
}
