using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Forecasting.Api.Backtests;

/// <summary>
/// A backtest's forecasts as a long table (text/csv), read from the stored JSON and written row by row, with
/// Nixtla's cross-validation column names: unique_id, cutoff (the origin), ds, target, step, mean, y (the actual).
/// </summary>
public sealed class BacktestCsvResult(string forecastsJson) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.ContentType = "text/csv; charset=utf-8";
        await using var writer = new StreamWriter(httpContext.Response.Body, new UTF8Encoding(false), 1 << 16);
        await writer.WriteLineAsync("unique_id,cutoff,ds,target,step,mean,y");
        using var source = new MemoryStream(Encoding.UTF8.GetBytes(forecastsJson));
        var line = new StringBuilder();
        await foreach (var f in JsonSerializer.DeserializeAsyncEnumerable<JsonElement>(source, cancellationToken: httpContext.RequestAborted))
        {
            line.Clear()
                .Append(Quote(f.TryGetProperty("series", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString()! : "")).Append(',')
                .Append(Text(f.GetProperty("origin"))).Append(',').Append(Text(f.GetProperty("timestamp"))).Append(',')
                .Append(Quote(f.GetProperty("target").GetString()!)).Append(',').Append(f.GetProperty("step").GetInt32()).Append(',')
                .Append(f.GetProperty("predicted").GetDouble().ToString("R", CultureInfo.InvariantCulture)).Append(',')
                .Append(f.GetProperty("actual").GetDouble().ToString("R", CultureInfo.InvariantCulture));
            await writer.WriteLineAsync(line);
        }
    }

    private static string Text(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();

    private static string Quote(string text) =>
        text.AsSpan().IndexOfAny(",\"\r\n") < 0 ? text : "\"" + text.Replace("\"", "\"\"") + "\"";
}
