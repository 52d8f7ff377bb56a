using Forecasting.Api.Forecasts;
using Forecasting.Api.Http;
using Forecasting.Api.TrainingRuns;
using Forecasting.Domain;
using Forecasting.Training.Models;
using Microsoft.Extensions.Options;

namespace Forecasting.Api.StatelessForecasts;

/// <summary>
/// Answers a stateless forecast: the inline series go through the training request's checks (<see cref="TrainingRunValidator"/>
/// on the frame in memory) and the kind's own training path with every observation in the training period, so each series
/// is fitted, falls back (seasonal naive) or is skipped exactly as in a training run; then each is forecast from its end
/// with the model's intervals. Nothing is read from or written to the database.
/// </summary>
public sealed class StatelessForecaster(TrainingRunValidator validator, ModelKindRegistry kinds, IOptions<Limits> limits, IOptions<StatelessForecastLimits> caps)
{
    private static readonly double[] DefaultLevels = [80, 95];

    /// <summary>The kind used when the request names none.</summary>
    public const string DefaultKind = "auto";

    public IResult Answer(StatelessForecastRequest request, DatasetFrame frame, bool csv, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        var horizon = request.Horizon ?? 0;
        if (request.Horizon is null) errors.Add(new FieldError("horizon", "horizon is required: the number of steps to forecast, e.g. 14."));
        else if (horizon < 1) errors.Add(new FieldError("horizon", "horizon must be at least 1."));
        else if (horizon > caps.Value.MaxHorizon)
            errors.Add(new FieldError("horizon", $"horizon {horizon} is above the cap of {caps.Value.MaxHorizon} steps for a stateless forecast (Limits:Stateless:MaxHorizon)."));
        var shown = (request.Levels ?? (request.Quantiles is null ? DefaultLevels : [])).Distinct().ToList();
        errors.AddRange(ForecastLevels.Check(request.Levels ?? [], limits.Value.MaxLevels));
        var quantiles = request.Quantiles ?? [];
        var levels = new List<double>(shown);
        for (var i = 0; i < quantiles.Count; i++)
            if (!(quantiles[i] > 0 && quantiles[i] < 1)) errors.Add(new FieldError($"quantiles[{i}]", "A quantile is strictly between 0 and 1, e.g. 0.1."));
            else if (quantiles[i] != 0.5) levels.Add(ForecastService.QuantileLevel(quantiles[i]));
        var model = request.Model ?? new ModelSpec { Kind = DefaultKind };
        if (kinds.Find(model.Kind) is { Traits.Family: ModelFamily.Neural } neural)
            errors.Add(new FieldError("model.kind", $"'{neural.Name}' is a neural kind, trained for minutes on the neural queue rather than in a request: " +
                "queue a training run (POST /api/training-runs) and forecast from its model (POST /api/models/{id}/forecast). Stateless forecasts take the statistical kinds: " +
                $"{string.Join(", ", kinds.Names.Where(n => kinds.Get(n).Traits.Family == ModelFamily.Statistical).Order())}."));
        if (errors.Count > 0) return Problems.Invalid(errors, "The forecast request is invalid; nothing was fitted");

        var spec = new TrainingRunSpec { Targets = [StatelessInput.Target], Horizon = horizon, Model = model };
        // The training request's checks, in this request's words: its training period is the whole of each series.
        errors.AddRange(validator.Validate(spec, frame).Select(e => e.Field is "split" or "datasetId" or "targets" ? e with { Field = "series" } : e));
        if (errors.Count > 0) return Problems.Invalid(errors, "The forecast request is invalid; nothing was fitted");
        var kind = kinds.Get(model.Kind);
        var periods = SplitResolver.Resolve(null, frame.Frequency, frame.Series).Periods;
        TrainedModel trained;
        try
        {
            trained = kind.Train(new TrainingInput(frame, spec, periods), null, cancellationToken);
        }
        catch (UserInputException e)
        {
            return Problems.Invalid([new FieldError(e.Field ?? "series", e.Message)], "The series could not be fitted; nothing was stored");
        }

        var outcomes = (trained.Outcomes ?? []).ToDictionary(o => o.Series, StringComparer.Ordinal);
        var shownKeys = shown.Select(l => (l, ForecastService.LevelKey(l))).ToList();
        var quantileKeys = quantiles.Select(q => (q, ForecastService.QuantileKey(q))).ToList();
        var intervalLevels = levels.Distinct().ToList();
        var answers = frame.Series.Select(series =>
        {
            cancellationToken.ThrowIfCancellationRequested();
            return ForecastOne(trained.Model, series, frame.Frequency, horizon, intervalLevels, shownKeys, quantileKeys,
                outcomes.GetValueOrDefault(series.Id), request.AddHistory == true, cancellationToken);
        }).ToList();
        if (csv)
            return new ForecastCsvResult(answers.Select(a => new SeriesForecast(a.Series, a.Origin, [.. a.Fitted ?? [], .. a.Points], a.Error)).ToAsyncEnumerable(), shown, quantiles);
        return TypedResults.Ok(new StatelessForecastResponse(kind.Name, horizon, IntervalMethod.Model.ToWire(), answers, trained.Details));
    }

    private static StatelessSeriesForecast ForecastOne(IFittedModel model, Series series, Frequency frequency, int horizon, IReadOnlyList<double> levels,
        IReadOnlyList<(double Level, string Key)> shown, IReadOnlyList<(double Quantile, string Key)> quantiles, SeriesOutcome? outcome, bool addHistory,
        CancellationToken cancellationToken)
    {
        var end = series.End(frequency);
        var origin = ForecastService.Timestamp(frequency, end);
        var fallback = outcome?.Status == SeriesStatus.Fallback ? outcome.Reason : null;
        if (outcome?.Status == SeriesStatus.Skipped)
            return new StatelessSeriesForecast(series.Id, origin, null, null, [], Error: $"Not fitted: {outcome.Reason}.");
        try
        {
            var query = new ForecastQuery(series, frequency, horizon, levels, 1, Method: IntervalMethod.Model);
            var forecast = model.Forecast(query, cancellationToken)[0];
            var points = Points(forecast, frequency, frequency.Add(end, 1), shown, quantiles);
            IReadOnlyList<ForecastPoint>? fitted = null;
            if (addHistory && model is IInSampleForecasts inSample && inSample.InSample(query, cancellationToken) is [var history, ..])
                fitted = Points(history.Forecast, frequency, frequency.Add(series.Start, history.First), shown, quantiles);
            return new StatelessSeriesForecast(series.Id, origin, outcome?.Method, fallback, points, fitted);
        }
        catch (ForecastInputException e)
        {
            return new StatelessSeriesForecast(series.Id, origin, outcome?.Method, fallback, [], Error: e.Message);
        }
    }

    /// <summary>The forecast's steps as answer points, the first at <paramref name="first"/>: mean, bounds per level and the quantiles.</summary>
    private static ForecastPoint[] Points(TargetForecast forecast, Frequency frequency, long first,
        IReadOnlyList<(double Level, string Key)> shown, IReadOnlyList<(double Quantile, string Key)> quantiles)
    {
        var points = new ForecastPoint[forecast.Mean.Length];
        for (var step = 0; step < points.Length; step++)
        {
            var lower = new Dictionary<string, double>(shown.Count, StringComparer.Ordinal);
            var upper = new Dictionary<string, double>(shown.Count, StringComparer.Ordinal);
            foreach (var (level, key) in shown)
            {
                lower[key] = forecast.Lower[level][step];
                upper[key] = forecast.Upper[level][step];
            }
            Dictionary<string, double>? values = null;
            if (quantiles.Count > 0)
            {
                values = new Dictionary<string, double>(quantiles.Count, StringComparer.Ordinal);
                foreach (var (quantile, key) in quantiles) values[key] = ForecastService.QuantileValue(forecast, quantile, step);
            }
            points[step] = new ForecastPoint(ForecastService.Timestamp(frequency, frequency.Add(first, step)),
                new Dictionary<string, ForecastValue>(1, StringComparer.Ordinal) { [forecast.Target] = new(forecast.Mean[step], lower, upper, values) });
        }
        return points;
    }
}
