using System.Text.Json;
using Forecasting.Api.Anomalies;
using Forecasting.Api.Audit;
using Forecasting.Api.Auth;
using Forecasting.Api.Datasets.Ingest;
using Forecasting.Api.Forecasts;
using Forecasting.Api.Http;
using Forecasting.Api.Jobs;
using Forecasting.Api.Ledger;
using Forecasting.Api.Schedules;
using Forecasting.Domain;
using Forecasting.Persistence;
using Forecasting.Persistence.Entities;
using Forecasting.Training.Models;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Forecasting.Api.Datasets;

public static class DatasetEndpoints
{
    public static RouteGroupBuilder MapDatasets(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/datasets").WithTags("Datasets");
        group.MapPost("/", UploadAsync).RequireScope(ApiScope.Train).RequireRateLimiting(RateLimits.Uploads).WithMetadata(new UploadBodyMetadata())
            .Accepts<CsvUploadForm>("multipart/form-data", "application/json")
            .DisableAntiforgery()
            .WithSummary("Upload a dataset (CSV file or JSON)")
            .WithDescription("multipart/form-data with a CSV `file` (and optional timeColumn, seriesColumn, frequency, dateFormat, columnNames, dropColumns, fillPolicy, categoricalColumns, bounds as JSON such as {\"sales\": {\"lower\": 0}}; a header with unique_id and ds, Nixtla's long format, is read as series and time columns without them), or a JSON body { name, frequency, series: [ { id, start | timestamps, columns } ], bounds }. A column's bounds hold for every observation (a 400 names the first outside them, and so does an append) and clip the forecasts of runs that take it as their target without bounds of their own. Rows are sorted, exact duplicate rows dropped and counted; gaps and non-numeric cells are a 400 naming the line and column unless a fillPolicy (ffill, interpolate, zero) is given. Rows after a series' last complete row, with the targets empty and known-future columns (a planned promo) set, are stored as its future rows (up to Limits:MaxHorizon): not observations, but the known-future values forecasts read. Nothing is stored from a rejected request.");
        group.MapPost("/synthetic", SyntheticAsync).RequireScope(ApiScope.Train).RequireRateLimiting(RateLimits.Uploads)
            .WithSummary("Create the chapter's synthetic dataset")
            .WithDescription("Two sines with random frequencies and offsets plus uniform noise, one series per row, integer steps (Hands-On ML chapter 15's generate_time_series).");
        group.MapGet("/", ListAsync).RequireScope(ApiScope.Read).WithSummary("List datasets, newest first");
        group.MapGet("/{id:guid}", GetAsync).RequireScope(ApiScope.Read).WithSummary("A dataset's columns and series");
        group.MapGet("/{id:guid}/data", DataAsync).RequireScope(ApiScope.Read)
            .WithSummary("A dataset's values, as JSON or CSV (Accept: text/csv)")
            .WithDescription("Filters: series (comma-separated ids), from and to (inclusive), columns (comma-separated).");
        group.MapPost("/{id:guid}/observations", AppendAsync).RequireScope(ApiScope.Train).RequireRateLimiting(RateLimits.Uploads).WithMetadata(new UploadBodyMetadata())
            .Accepts<CsvUploadForm>("multipart/form-data", "application/json")
            .DisableAntiforgery()
            .WithSummary("Append newer rows")
            .WithDescription("Same body forms as the upload. Rows with an existing timestamp and equal values are ignored; conflicting values are a 409 and nothing is written. Recorded forecasts whose targets the new rows observe are scored in the same transaction (scored: how many; driftEvents: the drift rules that fired).");
        group.MapDelete("/{id:guid}", DeleteAsync).RequireScope(ApiScope.Admin)
            .WithSummary("Delete a dataset")
            .WithDescription("Refused with 409 while a queued or running training run or backtest uses it, and while models or schedules use it unless cascade=true, " +
                "which deletes them with it, and the forecasters serving those models or following those schedules. The dataset's finished training runs and backtests go with it; all in one transaction.");
        return group;
    }

    /// <summary>The form fields of a CSV upload, for the OpenAPI description.</summary>
    public sealed record CsvUploadForm(IFormFile File, string? Name, string? TimeColumn, string? SeriesColumn, string? Frequency,
        string? DateFormat, string? ColumnNames, string? DropColumns, string? FillPolicy, string? CategoricalColumns, string? Bounds);

    /// <summary>
    /// Reads an upload or append body, with the columns' declared bounds applied (an append's rows are checked against
    /// the dataset's); for an append, the dataset's frequency and categorical columns apply.
    /// </summary>
    internal static async Task<(string? Name, IngestResult Result)> ReadBodyAsync(HttpRequest request, DatasetFrame? existing, Limits limits, CancellationToken cancellationToken)
    {
        var (name, result, bounds) = await ReadFormOrJsonAsync(request, existing, limits, cancellationToken);
        if (result.Frame is null) return (name, result);
        var errors = result.Errors.ToList();
        if (existing is null) return (name, result with { Frame = ColumnBounds.Declare(result.Frame, bounds, errors), Errors = errors });
        if (bounds is not null) errors.Add(new FieldError("bounds", "Bounds are declared when the dataset is uploaded; appended rows are checked against the dataset's."));
        errors.AddRange(ColumnBounds.Outside(result.Frame, existing.Columns));
        return (name, result with { Errors = errors });
    }

    private static async Task<(string? Name, IngestResult Result, IReadOnlyDictionary<string, ForecastBounds>? Bounds)> ReadFormOrJsonAsync(HttpRequest request, DatasetFrame? existing, Limits limits, CancellationToken cancellationToken)
    {
        var categorical = existing?.Columns.Where(c => c.Kind == ColumnKind.Categorical).Select(c => c.Name).ToList();
        if (request.HasFormContentType)
        {
            IFormCollection form;
            try
            {
                form = await request.ReadFormAsync(cancellationToken);
            }
            catch (Exception e) when (e is InvalidDataException or IOException && !e.Message.Contains("body length limit", StringComparison.Ordinal))
            {
                // No boundary, a truncated part, a malformed part header: the client's framing, not a server fault.
                return (null, IngestResult.Failed("body", "The multipart/form-data body is malformed (missing boundary or truncated part); send a form with a CSV 'file' field."), null);
            }
            var file = form.Files.GetFile("file") ?? form.Files.FirstOrDefault();
            if (file is null) return (null, IngestResult.Failed("file", "A CSV file is required in the form field 'file'."), null);
            var boundsErrors = new List<FieldError>();
            var bounds = ColumnBounds.ParseFormField(form["bounds"], boundsErrors);
            if (boundsErrors.Count > 0) return (null, IngestResult.Failed(boundsErrors), null);
            var options = new CsvUploadOptions(
                TimeColumn: Blank(form["timeColumn"]), SeriesColumn: Blank(form["seriesColumn"]), Frequency: Blank(form["frequency"]),
                DateFormat: Blank(form["dateFormat"]), ColumnNames: CsvUploadOptions.SplitList(form["columnNames"]),
                DropColumns: CsvUploadOptions.SplitList(form["dropColumns"]), FillPolicy: Blank(form["fillPolicy"]),
                CategoricalColumns: CsvUploadOptions.SplitList(form["categoricalColumns"]));
            if (existing is not null) options = options.ForAppend(existing.Frequency, existing.Columns);
            await using var stream = file.OpenReadStream();
            var name = Blank(form["name"]) ?? Path.GetFileNameWithoutExtension(file.FileName);
            return (name, CsvDatasetReader.Read(stream, options, limits), bounds);
        }
        if (request.HasJsonContentType())
        {
            JsonDatasetUpload? upload;
            try
            {
                upload = await JsonSerializer.DeserializeAsync<JsonDatasetUpload>(request.Body, ApiJson.Requests, cancellationToken);
            }
            catch (JsonException e)
            {
                var (field, message) = JsonErrors.Describe(e);
                return (null, IngestResult.Failed(field, $"The body is not valid JSON for a dataset: {message}"), null);
            }
            if (upload is null) return (null, IngestResult.Failed("body", "The body is empty."), null);
            if (existing is not null && upload.Frequency is null) upload = upload with { Frequency = existing.Frequency.Code };
            return (upload.Name, JsonDatasetReader.Read(upload, categorical, limits), upload.Bounds);
        }
        return (null, IngestResult.Failed("Content-Type", "Send multipart/form-data with a CSV 'file', or application/json."), null);
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static async Task<Results<Created<DatasetResponse>, ValidationProblem>> UploadAsync(
        HttpRequest request, DatasetStore store, ForecastingDbContext db, IAuditLog audit, IOptions<Limits> limits, CancellationToken cancellationToken)
    {
        var (name, result) = await ReadBodyAsync(request, null, limits.Value, cancellationToken);
        var errors = result.Errors.ToList();
        if (result.Frame is not null) errors.AddRange(IngestLimits.Check(result.Frame, limits.Value));
        if (string.IsNullOrWhiteSpace(name)) errors.Add(new FieldError("name", "A dataset name is required."));
        else if (name.Length > 200) errors.Add(new FieldError("name", "The name is longer than 200 characters."));
        if (errors.Count > 0 || result.Frame is null) return Problems.Invalid(errors, "The dataset was rejected; nothing was stored");
        var dataset = await store.CreateAsync(name!, result.Frame, result.DuplicatesDropped, cancellationToken,
            created => audit.Add(db, AuditActions.DatasetCreate, "dataset", created.Id.ToString(), new { created.Name, created.Rows }));
        return TypedResults.Created($"/api/datasets/{dataset.Id}", DatasetResponse.From(dataset));
    }

    private static async Task<Results<Created<DatasetResponse>, ValidationProblem>> SyntheticAsync(
        SyntheticDatasetRequest request, DatasetStore store, ForecastingDbContext db, IAuditLog audit, CancellationToken cancellationToken)
    {
        var errors = SyntheticDatasetGenerator.Validate(request);
        if (errors.Count > 0) return Problems.Invalid(errors, "The synthetic dataset request is invalid");
        var frame = SyntheticDatasetGenerator.Generate(request);
        var dataset = await store.CreateAsync(request.Name ?? $"synthetic-{request.Count}x{request.Steps}-seed{request.Seed}", frame, 0, cancellationToken,
            created => audit.Add(db, AuditActions.DatasetCreate, "dataset", created.Id.ToString(), new { created.Name, created.Rows, synthetic = true }));
        return TypedResults.Created($"/api/datasets/{dataset.Id}", DatasetResponse.From(dataset));
    }

    private static async Task<Ok<List<DatasetResponse>>> ListAsync(ForecastingDbContext db, int? skip, int? take, CancellationToken cancellationToken)
    {
        var datasets = await db.Datasets.AsNoTracking().Include(d => d.Series).OrderByDescending(d => d.CreatedAt)
            .Page(skip, take).AsSplitQuery().ToListAsync(cancellationToken);
        return TypedResults.Ok(datasets.Select(DatasetResponse.From).ToList());
    }

    private static async Task<Results<Ok<DatasetResponse>, ProblemHttpResult>> GetAsync(Guid id, ForecastingDbContext db, CancellationToken cancellationToken)
    {
        var dataset = await db.Datasets.AsNoTracking().Include(d => d.Series).FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        return dataset is null ? Problems.NotFound("Dataset", id) : TypedResults.Ok(DatasetResponse.From(dataset));
    }

    private static async Task<Results<Ok<DatasetData>, ContentHttpResult, ProblemHttpResult, ValidationProblem>> DataAsync(
        Guid id, HttpRequest request, DatasetStore store, string? series, string? from, string? to, string? columns, CancellationToken cancellationToken)
    {
        var seriesKeys = CsvUploadOptions.SplitList(series);
        var columnNames = CsvUploadOptions.SplitList(columns);
        var frame = await store.LoadAsync(id, seriesKeys, null, cancellationToken);
        if (frame is null) return Problems.NotFound("Dataset", id);
        var errors = new List<FieldError>();
        foreach (var key in seriesKeys ?? []) if (frame.Series.All(s => s.Id != key)) errors.Add(new FieldError("series", $"Dataset has no series '{key}'."));
        foreach (var name in columnNames ?? []) if (frame.Column(name) is null) errors.Add(new FieldError("columns", $"Dataset has no column '{name}'."));
        long? Point(string field, string? text)
        {
            if (text is null) return null;
            if (frame.Frequency.TryParsePoint(text, out var point)) return point;
            errors.Add(new FieldError(field, $"'{text}' is not a {(frame.Frequency == Frequency.Steps ? "step number" : "date")}."));
            return null;
        }
        var fromPoint = Point("from", from);
        var toPoint = Point("to", to);
        if (fromPoint > toPoint) errors.Add(new FieldError("to", $"to ({to}) is before from ({from})."));
        if (errors.Count > 0) return Problems.Invalid(errors);
        var data = DatasetData.From(frame, columnNames, fromPoint, toPoint);
        var wantsCsv = request.Headers.Accept.Any(a => a?.Contains("text/csv", StringComparison.OrdinalIgnoreCase) == true);
        return wantsCsv ? TypedResults.Text(data.ToCsv(), "text/csv") : TypedResults.Ok(data);
    }

    private static async Task<Results<Ok<AppendResponse>, ProblemHttpResult, ValidationProblem>> AppendAsync(
        Guid id, string? check, double? level, HttpRequest request, DatasetStore store, ForecastingDbContext db, ForecastService forecasts, ForecastLedger ledger,
        ModelKindRegistry kinds, IAuditLog audit, IOptions<Limits> limits, TimeProvider clock, CancellationToken cancellationToken)
    {
        var existing = await store.LoadAsync(id, null, null, cancellationToken);
        if (existing is null) return Problems.NotFound("Dataset", id);
        var checkErrors = new List<FieldError>();
        if (check is null && level is not null) checkErrors.Add(new FieldError("level", "level applies to an on-arrival check; name the forecaster in check."));
        var (checker, checkModel) = check is null ? (null, Guid.Empty)
            : await ArrivalCheck.ResolveAsync(db, check, level ?? ArrivalCheck.DefaultLevel, id, checkErrors, cancellationToken);
        if (checkErrors.Count > 0) return Problems.Invalid(checkErrors, "The observations were rejected; nothing was written");
        var (_, result) = await ReadBodyAsync(request, existing, limits.Value, cancellationToken);
        var errors = result.Frame is null ? result.Errors : [.. result.Errors, .. IngestLimits.Check(result.Frame, limits.Value)];
        if (errors.Count > 0 || result.Frame is null) return Problems.Invalid(errors, "The observations were rejected; nothing was written");
        var appended = DatasetAppender.Append(existing, ToOnlySeries(existing, result.Frame));
        if (appended.IsConflict)
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Observations conflict with stored values; nothing was written",
                detail: string.Join(" ", appended.Errors.Take(5).Select(e => $"{e.Field}: {e.Message}")),
                extensions: new Dictionary<string, object?> { ["errors"] = appended.Errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()) });
        if (!appended.Succeeded) return Problems.Invalid(appended.Errors, "The observations were rejected; nothing was written");
        var scoring = LedgerOutcome.None;
        ArrivalAnomalies? anomalies = null;
        if (checker is not null && appended.Added > 0)
        {
            // Judged before anything is written: a model that cannot judge the new rows is a 400, and the flags go in the append's transaction.
            var checkLevel = level ?? ArrivalCheck.DefaultLevel;
            var judged = await ArrivalCheck.JudgeAsync(forecasts, kinds, limits.Value, checkModel, existing, appended.Merged!, checkLevel, checkErrors, cancellationToken);
            if (checkErrors.Count > 0) return Problems.Invalid(checkErrors, "The observations were rejected; nothing was written");
            var flags = ArrivalCheck.Flags(judged, checker, checkModel, id, existing.Frequency, checkLevel, clock.GetUtcNow()).ToList();
            db.AnomalyFlags.AddRange(flags);
            var key = ForecastService.LevelKey(checkLevel);
            anomalies = new ArrivalAnomalies(checker.Name, checkModel, checkLevel, judged.Count, [.. judged.Where(p => p.Anomaly[key])]);
        }
        if (appended.Added > 0)
        {
            // Tracked on the store's context, so the replacement's transaction writes it.
            audit.Add(db, AuditActions.DatasetAppend, "dataset", id.ToString(), new { appended.Added, appended.Ignored });
            // The recorded forecasts whose targets arrived are scored in the append's transaction: both commit, or neither.
            await store.ReplaceAsync(id, appended.Merged!, cancellationToken, async () => scoring = await ledger.ScoreAsync(id, appended.Merged!, cancellationToken));
        }
        forecasts.ForgetDataset(id);
        await ledger.AfterCommitAsync(scoring, cancellationToken);
        var dataset = await db.Datasets.AsNoTracking().Include(d => d.Series).FirstAsync(d => d.Id == id, cancellationToken);
        return TypedResults.Ok(new AppendResponse(appended.Added, appended.Ignored, DatasetResponse.From(dataset), scoring.Scored, scoring.Events.Count, anomalies));
    }

    /// <summary>
    /// Rows that name no series (a CSV without a series column, JSON without an id) extend a single-series
    /// dataset's one series, whatever its id.
    /// </summary>
    internal static DatasetFrame ToOnlySeries(DatasetFrame existing, DatasetFrame incoming) =>
        existing.Series.Count == 1 && incoming.Series is [{ Id: CsvDatasetReader.SingleSeriesId } only] && existing.Series[0].Id != only.Id
            ? incoming with { Series = [new Series(existing.Series[0].Id, only.Start, only.Length, only.Columns)] }
            : incoming;

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        Guid id, bool? cascade, ForecastingDbContext db, ForecastService forecasts, IRecurringSchedules triggers, IAuditLog audit, CancellationToken cancellationToken)
    {
        // One write transaction: a job submission on this dataset (also one, see JobSubmission)
        // either lands before it and is seen here, or after it and finds the dataset gone.
        List<Guid> schedules, models;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            if (!await db.Datasets.AnyAsync(d => d.Id == id, cancellationToken)) return Problems.NotFound("Dataset", id);
            var activeRuns = await db.TrainingRuns.CountAsync(r => r.DatasetId == id && (r.Status == JobStatus.Queued || r.Status == JobStatus.Running), cancellationToken);
            var activeBacktests = await db.Backtests.CountAsync(b => b.DatasetId == id && (b.Status == JobStatus.Queued || b.Status == JobStatus.Running), cancellationToken);
            if (activeRuns + activeBacktests > 0)
                return Problems.Conflict("Dataset in use", $"{activeRuns} queued or running training run(s) and {activeBacktests} backtest(s) use this dataset; cancel them or wait for them to finish.");
            models = await db.Models.Where(m => m.DatasetId == id).Select(m => m.Id).ToListAsync(cancellationToken);
            schedules = await db.Schedules.Where(s => s.DatasetId == id).Select(s => s.Id).ToListAsync(cancellationToken);
            var forecasters = await db.Forecasters
                .Where(f => (f.ActiveModelId != null && models.Contains(f.ActiveModelId.Value)) || (f.ScheduleId != null && schedules.Contains(f.ScheduleId.Value)))
                .Select(f => f.Id).ToListAsync(cancellationToken);
            if ((models.Count > 0 || schedules.Count > 0) && cascade != true)
                return Problems.Conflict("Dataset in use",
                    $"{models.Count} model(s), {schedules.Count} schedule(s) and {forecasters.Count} forecaster(s) use this dataset; delete them first, or delete with ?cascade=true to remove them with it.");
            await db.Forecasters.Where(f => forecasters.Contains(f.Id)).ExecuteDeleteAsync(cancellationToken);
            await db.Schedules.Where(s => schedules.Contains(s.Id)).ExecuteDeleteAsync(cancellationToken);
            await db.Models.Where(m => m.DatasetId == id).ExecuteDeleteAsync(cancellationToken);
            await db.TrainingRuns.Where(r => r.DatasetId == id).ExecuteDeleteAsync(cancellationToken);
            await db.Backtests.Where(b => b.DatasetId == id).ExecuteDeleteAsync(cancellationToken);
            await db.Datasets.Where(d => d.Id == id).ExecuteDeleteAsync(cancellationToken);
            audit.Add(db, AuditActions.DatasetDelete, "dataset", id.ToString(), new { cascade = cascade == true, models, schedules, forecasters });
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        // The job engine keeps its recurring jobs in its own storage, so they go after the commit; a firing whose
        // schedule row is gone does nothing (ScheduleFiring returns null).
        foreach (var schedule in schedules) triggers.Remove(schedule);
        foreach (var model in models) forecasts.Forget(model);
        forecasts.ForgetDataset(id);
        return TypedResults.NoContent();
    }
}
