using System.Globalization;
using System.Text;
using Forecasting.Api.Forecasts;

namespace Forecasting.Api.Anomalies;

/// <summary>
/// Judged observations as a long table (text/csv), in the forecast table's conventions: unique_id, ds, target, then the
/// actual y, the mean, and per level lo-95, hi-95, score-95 (empty where the half-width is zero) and anomaly-95 (true/false).
/// </summary>
public sealed class AnomalyCsvResult(IReadOnlyList<AnomalyPoint> points, IReadOnlyList<double> levels) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.ContentType = "text/csv; charset=utf-8";
        await using var writer = new StreamWriter(response.Body, new UTF8Encoding(false), 1 << 16);
        var keys = levels.Select(ForecastService.LevelKey).ToList();
        var line = new StringBuilder("unique_id,ds,target,y,mean");
        foreach (var key in keys) line.Append(",lo-").Append(key).Append(",hi-").Append(key).Append(",score-").Append(key).Append(",anomaly-").Append(key);
        await writer.WriteLineAsync(line);
        foreach (var point in points)
        {
            httpContext.RequestAborted.ThrowIfCancellationRequested();
            line.Clear().Append(Quote(point.Series)).Append(',').Append(Convert.ToString(point.Timestamp, CultureInfo.InvariantCulture))
                .Append(',').Append(Quote(point.Target)).Append(',').Append(Number(point.Actual)).Append(',').Append(Number(point.Mean));
            foreach (var key in keys)
            {
                line.Append(',').Append(Number(point.Lower[key])).Append(',').Append(Number(point.Upper[key])).Append(',');
                if (point.Score[key] is { } score) line.Append(Number(score));
                line.Append(',').Append(point.Anomaly[key] ? "true" : "false");
            }
            await writer.WriteLineAsync(line);
        }
    }

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Quote(string text) =>
        text.AsSpan().IndexOfAny(",\"\r\n") < 0 ? text : "\"" + text.Replace("\"", "\"\"") + "\"";
}
