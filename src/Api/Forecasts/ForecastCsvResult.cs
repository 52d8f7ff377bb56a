using System.Globalization;
using System.Text;

namespace Forecasting.Api.Forecasts;

/// <summary>
/// A forecast as a long table (text/csv), written series by series as each is computed, so memory holds one
/// series' answer and not the whole table. Columns as Nixtla's libraries name them: unique_id, ds, then the
/// target, its mean, lo-80, hi-80 … per level and q-10 … per quantile (percent); a series that could not be
/// forecast gets one row with its reason in <c>error</c>.
/// </summary>
public sealed class ForecastCsvResult(IAsyncEnumerable<SeriesForecast> forecasts, IReadOnlyList<double> levels, IReadOnlyList<double> quantiles) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.ContentType = "text/csv; charset=utf-8";
        await using var writer = new StreamWriter(response.Body, new UTF8Encoding(false), 1 << 16);
        var header = new StringBuilder("unique_id,ds,target,mean");
        foreach (var level in levels) header.Append(",lo-").Append(ForecastService.LevelKey(level)).Append(",hi-").Append(ForecastService.LevelKey(level));
        foreach (var q in quantiles) header.Append(",q-").Append((100 * q).ToString("0.#", CultureInfo.InvariantCulture));
        header.Append(",error");
        await writer.WriteLineAsync(header);
        var cancel = httpContext.RequestAborted;
        var line = new StringBuilder();
        await foreach (var forecast in forecasts.WithCancellation(cancel))
        {
            cancel.ThrowIfCancellationRequested();
            if (forecast.Error is not null)
            {
                line.Clear().Append(Quote(forecast.Series)).Append(",,,,").Append(',', 2 * levels.Count + quantiles.Count).Append(Quote(forecast.Error));
                await writer.WriteLineAsync(line);
                continue;
            }
            foreach (var point in forecast.Points)
                foreach (var (target, value) in point.Values)
                {
                    line.Clear().Append(Quote(forecast.Series)).Append(',').Append(Convert.ToString(point.Timestamp, CultureInfo.InvariantCulture))
                        .Append(',').Append(Quote(target)).Append(',').Append(Number(value.Mean));
                    foreach (var level in levels)
                    {
                        var key = ForecastService.LevelKey(level);
                        line.Append(',').Append(Number(value.Lower[key])).Append(',').Append(Number(value.Upper[key]));
                    }
                    foreach (var q in quantiles) line.Append(',').Append(Number(value.Quantiles![ForecastService.QuantileKey(q)]));
                    line.Append(',');
                    await writer.WriteLineAsync(line);
                }
        }
    }

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Quote(string text) =>
        text.AsSpan().IndexOfAny(",\"\r\n") < 0 ? text : "\"" + text.Replace("\"", "\"\"") + "\"";
}
