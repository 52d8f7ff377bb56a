using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Forecasting.Api.Forecasts;

/// <summary>
/// A batch forecast as JSON (the shape of <see cref="ForecastBatchResponse"/>), written series by series as each
/// is computed and flushed every <see cref="FlushBytes"/>, so memory holds one series' answer and not the whole list.
/// </summary>
public sealed class ForecastJsonResult(Guid modelId, int horizon, string method, IAsyncEnumerable<SeriesForecast> forecasts) : IResult
{
    private const int FlushBytes = 1 << 16;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var options = httpContext.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        var naming = options.PropertyNamingPolicy;
        string Name(string property) => naming?.ConvertName(property) ?? property;
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        var cancel = httpContext.RequestAborted;
        var body = response.BodyWriter;
        await using var writer = new Utf8JsonWriter(body, new JsonWriterOptions { Encoder = options.Encoder });
        writer.WriteStartObject();
        writer.WriteString(Name(nameof(ForecastBatchResponse.ModelId)), modelId);
        writer.WriteNumber(Name(nameof(ForecastBatchResponse.Horizon)), horizon);
        writer.WriteString(Name(nameof(ForecastBatchResponse.Method)), method);
        writer.WriteStartArray(Name(nameof(ForecastBatchResponse.Forecasts)));
        var flushed = 0L;
        await foreach (var forecast in forecasts.WithCancellation(cancel))
        {
            cancel.ThrowIfCancellationRequested();
            JsonSerializer.Serialize(writer, forecast, options);
            if (writer.BytesCommitted + writer.BytesPending - flushed < FlushBytes) continue;
            writer.Flush();
            flushed = writer.BytesCommitted;
            await body.FlushAsync(cancel);
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.Flush();
        await body.FlushAsync(cancel);
    }
}
