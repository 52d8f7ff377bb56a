using Forecasting.Api.Auth;
using Forecasting.Api.Forecasts;
using Forecasting.Api.Http;
using Microsoft.Extensions.Options;

namespace Forecasting.Api.StatelessForecasts;

public static class StatelessForecastEndpoints
{
    public static RouteHandlerBuilder MapStatelessForecasts(this IEndpointRouteBuilder routes) =>
        routes.MapPost("/api/forecast", ForecastAsync).WithTags("Forecasts").RequireScope(ApiScope.Read).RequireRateLimiting(RateLimits.StatelessForecasts)
            .Accepts<StatelessForecastRequest>("application/json", "text/csv")
            .Produces<StatelessForecastResponse>(StatusCodes.Status200OK, "application/json", "text/csv")
            .ProducesValidationProblem()
            .WithSummary("Forecast series sent inline (stateless: nothing is stored)")
            .WithDescription("A JSON body { frequency, series: [ { id, start | timestamps, values } ], horizon, levels | quantiles, model, addHistory } (a dataset upload's series with one column, values), " +
                "or a text/csv body in Nixtla's long format (unique_id, ds, y) with the options as query parameters (frequency, fillPolicy, horizon, levels=80,95, quantiles, model=seasonal_naive or model={\"kind\":…}, addHistory=true). " +
                "Each series is fitted with the model (any statistical kind, default auto; neural kinds are refused: queue a training run) in the request, with the training run's fallbacks, and forecast from its end " +
                "with the model's own intervals (there is no validation period to calibrate conformal ones on). addHistory: the in-sample one-step fitted values too. " +
                "Gaps, missing values, a timestamp given twice, non-numbers and unknown fields are a 400 naming the series, line or field. Caps: Limits:Stateless (MaxSeries, MaxPoints, MaxHorizon) and its own rate limit (Limits:Stateless:Rate). " +
                "Nothing is written to the database. Accept: text/csv answers a long table.");

    private static async Task<IResult> ForecastAsync(HttpRequest http, StatelessForecaster forecaster, IOptions<Limits> limits, IOptions<StatelessForecastLimits> caps,
        CancellationToken cancellationToken)
    {
        var (request, frame, errors) = await StatelessInput.ReadAsync(http, limits.Value, caps.Value, cancellationToken);
        if (request is null || frame is null) return Problems.Invalid(errors, "The forecast request is invalid; nothing was fitted");
        return forecaster.Answer(request, frame, http.WantsCsv(), cancellationToken);
    }
}
