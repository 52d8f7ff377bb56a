using Forecasting.Api.Forecasts;
using Forecasting.Api.Http;
using Forecasting.Domain;
using Forecasting.Training.Covariates;
using Forecasting.Training.Models;
using Microsoft.Extensions.Options;

namespace Forecasting.Api.Anomalies;

/// <summary>POST /api/models/{id}/anomalies (mapped in the model group): the handler.</summary>
public static class AnomalyEndpoints
{
    public const string Summary = "Flag the stored observations that fall outside the model's forecast intervals";

    public const string Description =
        "Each observation of from..to (to defaults to the end of the data) is judged by the forecast made step (h, default 1) steps before it from the data up to then, " +
        "with the model's parameters fixed (no refit), and flagged when it lies outside the interval at level (percent, default 95; or levels): conformal where the model is calibrated, " +
        "the kind's own otherwise (method). clean: flagged values are replaced by their forecast in later histories. Per observation: actual, mean, bounds, score (distance from the mean in half-widths; above 1 is outside) and the flag; per level the counts " +
        "with the number expected by chance. series: one id, a list, or absent for all; Accept: text/csv gives a long table (unique_id, ds, target, y, mean, lo-95, hi-95, score-95, anomaly-95). " +
        "At most Limits:MaxAnomalyObservations observations × series × targets per request.";

    public static async Task<IResult> DetectAsync(
        Guid id, AnomalyRequest? request, HttpRequest http, ForecastService forecasts, ModelKindRegistry kinds, IOptions<Limits> limits, CancellationToken cancellationToken)
    {
        var loaded = await forecasts.LoadModelAsync(id, cancellationToken);
        if (loaded is null) return Problems.NotFound("Model", id);
        var frame = await forecasts.LoadDatasetAsync(loaded.Spec.DatasetId, cancellationToken);
        if (frame is null) return Problems.Conflict("Dataset deleted", $"The model's dataset '{loaded.Spec.DatasetId}' no longer exists, and with it the observations to judge.");
        // A model with calendar features or holidays reads them as columns of the history.
        frame = GeneratedColumns.AddTo(frame, loaded.Spec.Calendar, loaded.Spec.Holidays);
        var errors = new List<FieldError>();
        var plan = AnomalyDetector.Validate(loaded, frame, request ?? new AnomalyRequest(), kinds, limits.Value, errors);
        if (plan is null) return Problems.Invalid(errors, "The anomaly request is invalid");
        // A model stored per series reads the fits of the series judged (a request judges a bounded number).
        plan = plan with { Loaded = await forecasts.ForSeriesAsync(plan.Loaded, plan.Ranges.Select(r => r.Series.Id).Distinct().ToList(), cancellationToken) };
        var points = AnomalyDetector.Detect(plan, errors, cancellationToken);
        if (errors.Count > 0) return Problems.Invalid(errors, "The anomaly request is invalid");
        if (http.WantsCsv()) return new AnomalyCsvResult(points, plan.Levels);
        var frequency = frame.Frequency;
        return TypedResults.Ok(new AnomalyResponse(id, plan.MethodName, plan.Step,
            ForecastService.Timestamp(frequency, plan.From), ForecastService.Timestamp(frequency, plan.To),
            AnomalyDetector.Count(points, plan.Levels), points));
    }
}
