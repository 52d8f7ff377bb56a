using System.Text.Json;
using Forecasting.Training.Models;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;

namespace Forecasting.Api.Hosting;

/// <summary>
/// Turns exceptions into RFC 9457 problem details: malformed bodies name the JSON path, oversized uploads
/// are 413, a model's own refusal is 400, and anything unexpected is a 500 without a stack trace.
/// </summary>
public sealed class ApiExceptionHandler(IProblemDetailsService problemDetails, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail) = exception switch
        {
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => (413, "Upload too large", exception.Message),
            BadHttpRequestException { InnerException: JsonException json } => (400, "Malformed JSON body", DescribeJson(json)),
            BadHttpRequestException bad => (bad.StatusCode, "Bad request", bad.Message),
            InvalidDataException when exception.Message.Contains("Multipart body length limit", StringComparison.Ordinal) => (413, "Upload too large", exception.Message),
            ForecastInputException => (400, "Forecast request cannot be answered", exception.Message),
            OperationCanceledException when context.RequestAborted.IsCancellationRequested => (499, "Client closed request", "The request was cancelled."),
            _ => (500, "Internal error", "The server failed to process the request; the error was logged with this trace id."),
        };
        if (status >= 500) logger.LogError(exception, "Unhandled error on {Method} {Path}", context.Request.Method, context.Request.Path);
        context.Response.StatusCode = status;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }

    private static string DescribeJson(JsonException json) =>
        json.Path is { Length: > 0 } path
            ? $"The body is not valid for this route at '{path}' (line {json.LineNumber + 1}, byte {json.BytePositionInLine}): {FirstSentence(json.Message)}"
            : $"The body is not valid JSON: {FirstSentence(json.Message)}";

    private static string FirstSentence(string message) => message.Split(" Path:", 2)[0];
}
