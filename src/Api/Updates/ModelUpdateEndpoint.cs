using System.Diagnostics;
using Forecasting.Api.Audit;
using Forecasting.Api.Datasets;
using Forecasting.Api.Datasets.Ingest;
using Forecasting.Api.Forecasts;
using Forecasting.Api.Auth;
using Forecasting.Api.Http;
using Forecasting.Api.Jobs;
using Forecasting.Api.Models;
using Forecasting.Api.Schedules;
using Forecasting.Api.TrainingRuns;
using Forecasting.Domain;
using Forecasting.Persistence;
using Forecasting.Persistence.Entities;
using Forecasting.Training.Models;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Forecasting.Api.Updates;

/// <summary>
/// POST /api/models/{id}/update: a statistical model brought up to the latest observations with its parameters fixed,
/// as a new model; a neural model gets a warm-start training run from its weights instead. A statistical model's stored state is its parameters (and initial states); every forecast runs its
/// filter (SARIMA's Kalman filter, the state recursion of ETS and the others) over the series up to the origin, so the
/// filter state follows from the parameters and the observations, and the update's work is to take the new observations
/// (posted in the body, or already appended to the dataset), check them against what the model has seen (its data end
/// per series) and can take, and record the version.
/// </summary>
public static class ModelUpdateEndpoint
{
    public const string Summary = "Bring a statistical model up to the latest observations without refitting (a new model)";

    public const string Description =
        "New observations, either appended to the model's dataset already (POST /api/datasets/{id}/observations) or sent in the body " +
        "(the same body as that endpoint: JSON { series: [ { id, start | timestamps, columns } ] } or a CSV form; they are appended to the dataset), " +
        "are taken with the model's fitted parameters fixed: its forecasts filter them (SARIMA's Kalman filter, the state recursion of ETS and the others), as statsmodels' append(refit=False). " +
        "The answer (201) is a new model: parameters and calibration copied, parentModelId and updatedThrough set, metrics.inheritedFrom naming the model whose " +
        "training measured the validation and test figures. The old model stays. 400: a posted row at or before the model's data end for its series (overlap), " +
        "a gap, a series the model was not trained on, a value outside the model's transform domain; 409: nothing new after the model's data end, " +
        "or a model trained before data ends were recorded whose dataset has changed since. A neural model's state is its weights: the same call (rows appended " +
        "first) queues a warm-start training run on the dataset, its request with training.initFromModelId set to the model and its date split moved forward by the " +
        "steps the data grew, and answers 202 with the run.";

    /// <summary>Maps POST /api/models/{id}/update beside the other model routes (its own namespace: it uses datasets, schedules' split shift and training runs).</summary>
    public static RouteHandlerBuilder MapModelUpdates(this IEndpointRouteBuilder routes) =>
        routes.MapPost("/api/models/{id:guid}/update", UpdateAsync).WithTags("Models")
            .RequireScope(ApiScope.Train).RequireRateLimiting(RateLimits.Uploads).WithMetadata(new UploadBodyMetadata())
            .Accepts<DatasetEndpoints.CsvUploadForm>("multipart/form-data", "application/json")
            .DisableAntiforgery()
            .WithSummary(Summary).WithDescription(Description)
            .Produces<ModelResponse>(StatusCodes.Status201Created).Produces<TrainingRunQueued>(StatusCodes.Status202Accepted).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

    public static async Task<IResult> UpdateAsync(Guid id, HttpRequest request, ForecastingDbContext db, DatasetStore store, ModelKindRegistry kinds,
        ForecastService forecasts, IAuditLog audit, IOptions<Limits> limits, TimeProvider clock, TrainingRunValidator validator, JobSubmission submission,
        JobQuota quota, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var parent = await db.Models.AsNoTracking().FirstOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (parent is null) return Problems.NotFound("Model", id);
        var neural = kinds.Find(parent.Kind)?.Traits.Family == ModelFamily.Neural;
        var spec = ApiJson.Deserialize<TrainingRunSpec>(parent.SpecJson);
        var frame = await store.LoadAsync(parent.DatasetId, null, null, cancellationToken);
        if (frame is null)
            return Problems.Conflict("Dataset deleted", $"The model's dataset '{parent.DatasetId}' no longer exists; there are no observations to bring it up to.");
        var frequency = frame.Frequency;
        var ends = await DataEndsAsync(db, parent, frame, cancellationToken);
        if (ends is null)
            return Problems.Conflict("Data end unknown",
                "This model was trained before models recorded the last observation of each series they saw, and its dataset has changed since, so the " +
                "observations it has not seen cannot be told apart; retrain it (a new training run), then update that model.");

        var merged = frame;
        var appended = 0;
        if (HasBody(request))
        {
            var (_, read) = await DatasetEndpoints.ReadBodyAsync(request, frame, limits.Value, cancellationToken);
            var errors = read.Frame is null ? read.Errors.ToList() : [.. read.Errors, .. IngestLimits.Check(read.Frame, limits.Value)];
            if (errors.Count > 0 || read.Frame is null) return Problems.Invalid(errors, "The observations were rejected; nothing was written");
            var incoming = DatasetEndpoints.ToOnlySeries(frame, read.Frame);
            foreach (var series in incoming.Series)
            {
                if (!ends.TryGetValue(series.Id, out var end))
                    errors.Add(new FieldError($"series {series.Id}", $"The model was not trained on series '{series.Id}'; its series are {Names(ends.Keys)}."));
                else if (series.Start <= end)
                    errors.Add(new FieldError($"series {series.Id}",
                        $"Overlap: the rows start at {frequency.Format(series.Start)}, at or before the model's data end {frequency.Format(end)} for this series; send only observations after it (from {frequency.Format(frequency.Add(end, 1))})."));
            }
            if (errors.Count > 0) return Problems.Invalid(errors, "The observations were rejected; nothing was written");
            var result = DatasetAppender.Append(frame, incoming);
            if (result.IsConflict)
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Observations conflict with stored values; nothing was written",
                    detail: string.Join(" ", result.Errors.Take(5).Select(e => $"{e.Field}: {e.Message}")));
            if (!result.Succeeded) return Problems.Invalid(result.Errors, "The observations were rejected; nothing was written");
            (merged, appended) = (result.Merged!, result.Added);
        }

        // The model's series that have observations after its data end; the others keep theirs.
        var newEnds = new Dictionary<string, long>(ends, StringComparer.Ordinal);
        var moved = new List<Series>();
        foreach (var series in merged.Series)
            if (ends.TryGetValue(series.Id, out var end) && series.End(frequency) > end)
            {
                newEnds[series.Id] = series.End(frequency);
                moved.Add(series);
            }
        if (moved.Count == 0)
            return Problems.Conflict("Nothing to update",
                $"The dataset has no observations after the model's data end ({Describe(ends, frequency)}); append them (POST /api/datasets/{parent.DatasetId}/observations) or send them in the body.");

        if (neural)
        {
            // A neural model's state is its weights, which only training moves: a warm-start run from them, its date split
            // moved forward by as many steps as the data grew (SplitShift, as a schedule's firing).
            var warm = SplitShift.Apply(spec, frequency, frequency.StepsBetween(ends.Values.Max(), newEnds.Values.Max())) with
            {
                Training = (spec.Training ?? new TrainingSettings()) with { InitFromModelId = parent.Id },
            };
            // Checked against the data with the rows before anything is written; the run's submission checks it again.
            if (validator.Validate(warm, merged) is { Count: > 0 } invalid) return Problems.Invalid(invalid, "The warm-start training request is invalid; nothing was written");
            if (appended > 0)
            {
                audit.Add(db, AuditActions.DatasetAppend, "dataset", parent.DatasetId.ToString(), new { Added = appended, ForModelUpdate = parent.Id });
                await store.ReplaceAsync(parent.DatasetId, merged, cancellationToken);
                forecasts.ForgetDataset(parent.DatasetId);
            }
            return (await TrainingRunEndpoints.QueueAsync(warm, validator, submission, quota, request.HttpContext, cancellationToken)).Result;
        }

        // The ingest parsers take only finite values, which every fit filters; a transform (log1p, Box-Cox) also needs its
        // domain, checked by the fitted model itself (each fit's own λ) on a one-step forecast from the longer series.
        if (spec.Transform is not null)
        {
            // Read as forecasts read it: a model stored per series holds its fits on its series rows.
            var loaded = await forecasts.LoadModelAsync(parent.Id, cancellationToken) ?? throw new InvalidOperationException($"Model '{parent.Id}' vanished.");
            var fitted = (await forecasts.ForSeriesAsync(loaded, [.. moved.Select(s => s.Id)], cancellationToken)).Model;
            var skipped = (await db.ModelSeries.AsNoTracking().Where(s => s.ModelId == parent.Id).GroupBy(s => s.SeriesId)
                .Where(g => g.All(s => s.Status == SeriesStatus.Skipped)).Select(g => g.Key).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
            var outside = new List<FieldError>();
            foreach (var series in moved.Where(s => !skipped.Contains(s.Id)))
            {
                try
                {
                    fitted.Forecast(new ForecastQuery(series, frequency, 1, [], 1), cancellationToken);
                }
                catch (ForecastInputException e)
                {
                    outside.Add(new FieldError($"series {series.Id}", e.Message));
                    if (outside.Count >= 20) break;
                }
            }
            if (outside.Count > 0) return Problems.Invalid(outside, "The model cannot take the new observations; nothing was written");
        }

        var metrics = ApiJson.Deserialize<ModelMetrics>(parent.MetricsJson);
        var model = new ModelEntity
        {
            Id = Guid.NewGuid(),
            TrainingRunId = parent.TrainingRunId,
            DatasetId = parent.DatasetId,
            Kind = parent.Kind,
            SpecJson = parent.SpecJson,
            MetricsJson = ApiJson.Serialize(metrics with { InheritedFrom = metrics.InheritedFrom ?? parent.Id }),
            HistoryJson = parent.HistoryJson,
            DetailsJson = parent.DetailsJson,
            ParameterCount = parent.ParameterCount,
            StateFormat = parent.StateFormat,
            State = parent.State,
            CreatedAt = clock.GetUtcNow(),
            DataEndsJson = ModelDataEnds.Serialize(newEnds),
            ParentModelId = parent.Id,
            UpdatedThrough = frequency.Format(newEnds.Values.Max()),
        };
        // Tracked on the store's context: one transaction writes the model, its outcomes, the audit row and the appended rows.
        db.Models.Add(model);
        db.ModelSeries.AddRange(await db.ModelSeries.AsNoTracking().Where(s => s.ModelId == parent.Id).Select(s => new ModelSeriesEntity
            { ModelId = model.Id, SeriesId = s.SeriesId, Target = s.Target, Status = s.Status, Method = s.Method, Reason = s.Reason, State = s.State }).ToListAsync(cancellationToken));
        audit.Add(db, AuditActions.ModelUpdate, "model", model.Id.ToString(), new { ParentModelId = parent.Id, model.UpdatedThrough, Series = moved.Count, Appended = appended });
        model.TrainingSeconds = watch.Elapsed.TotalSeconds;
        if (appended > 0) await store.ReplaceAsync(parent.DatasetId, merged, cancellationToken);
        else await db.SaveChangesAsync(cancellationToken);
        if (appended > 0) forecasts.ForgetDataset(parent.DatasetId);
        return TypedResults.Created($"/api/models/{model.Id}", ModelResponse.From(model) with { Series = await ModelSeriesSummary.ReadAsync(db, model.Id, cancellationToken) });
    }

    /// <summary>
    /// The model's data ends; for a model trained before they were recorded, the dataset's series ends when it has not
    /// changed since the model was made, else null (unknown).
    /// </summary>
    private static async Task<Dictionary<string, long>?> DataEndsAsync(ForecastingDbContext db, ModelEntity model, DatasetFrame frame, CancellationToken cancellationToken)
    {
        if (model.DataEndsJson is { } json) return ModelDataEnds.Deserialize(json);
        var changed = await db.Datasets.AsNoTracking().Where(d => d.Id == model.DatasetId).Select(d => d.UpdatedAt).FirstAsync(cancellationToken);
        if (changed > model.CreatedAt) return null;
        var selected = ApiJson.Deserialize<TrainingRunSpec>(model.SpecJson).Series;
        return frame.Series.Where(s => selected is not { Count: > 0 } || selected.Contains(s.Id))
            .ToDictionary(s => s.Id, s => s.End(frame.Frequency), StringComparer.Ordinal);
    }

    private static bool HasBody(HttpRequest request) => request.ContentLength is > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);

    private static string Names(IEnumerable<string> ids)
    {
        var list = ids.Order(StringComparer.Ordinal).ToList();
        return string.Join(", ", list.Take(10).Select(i => $"'{i}'")) + (list.Count > 10 ? $" and {list.Count - 10} more" : "");
    }

    private static string Describe(IReadOnlyDictionary<string, long> ends, Frequency frequency) =>
        ends.Count == 1 ? frequency.Format(ends.Values.Single())
            : $"{ends.Count} series, the latest {frequency.Format(ends.Values.Max())}";
}
