using System.Text.Json;
using Forecasting.Domain;
using Microsoft.AspNetCore.Diagnostics;

namespace Forecasting.Api.Http;

/// <summary>
/// Turns exceptions into RFC 9457 problem details: malformed bodies name the field (and the field meant, for a
/// known alias), oversized uploads are 413, user input found unusable later (<see cref="UserInputException"/>)
/// is 400, and anything unexpected is a 500 without a stack trace.
/// </summary>
public sealed partial class ApiExceptionHandler(IProblemDetailsService problemDetails, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        string? field = null;
        var (status, title, detail) = exception switch
        {
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => (413, "Upload too large", "The body is larger than the configured limit (Uploads:MaxBytes)."),
            BadHttpRequestException { InnerException: JsonException json } => Json(json, out field),
            BadHttpRequestException { StatusCode: StatusCodes.Status415UnsupportedMediaType } => (415, "Unsupported Media Type", "Send the body as application/json."),
            BadHttpRequestException bad when Binding(bad) is { } binding => Parameter(binding, out field),
            BadHttpRequestException bad => (bad.StatusCode, "Bad request", Plain(bad)),
            InvalidDataException when exception.Message.Contains("Multipart body length limit", StringComparison.Ordinal) => (413, "Upload too large", "The upload is larger than the configured limit (Uploads:MaxBytes)."),
            UserInputException input => Input(input, out field),
            OperationCanceledException when context.RequestAborted.IsCancellationRequested => (499, "Client closed request", "The request was cancelled."),
            _ => (500, "Internal error", "The server failed to process the request; the error was logged with this trace id."),
        };
        if (status >= 500) logger.LogError(exception, "Unhandled error on {Method} {Path}", context.Request.Method, context.Request.Path);
        context.Response.StatusCode = status;
        var problem = new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        };
        if (field is not null) problem.ProblemDetails.Extensions["errors"] = new Dictionary<string, string[]> { [field] = [detail] };
        return await problemDetails.TryWriteAsync(problem);
    }

    private static (int, string, string) Json(JsonException json, out string? field)
    {
        (field, var message) = JsonErrors.Describe(json);
        return (400, "The JSON body is not valid for this request", message);
    }

    private static (int, string, string) Input(UserInputException input, out string? field)
    {
        field = input.Field;
        return (400, "The request cannot be answered", input.Message);
    }

    /// <summary>A query or route value that does not parse: "Failed to bind parameter \"Nullable&lt;int&gt; skip\" from \"abc\"."</summary>
    private static System.Text.RegularExpressions.Match? Binding(BadHttpRequestException bad) =>
        BindingFailure().Match(bad.Message) is { Success: true } match ? match : null;

    private static (int, string, string) Parameter(System.Text.RegularExpressions.Match binding, out string? field)
    {
        field = binding.Groups["name"].Value;
        var type = binding.Groups["type"].Value;
        var expected = type.Contains("int", StringComparison.OrdinalIgnoreCase) || type.Contains("long", StringComparison.OrdinalIgnoreCase) ? "a whole number"
            : type.Contains("Guid", StringComparison.Ordinal) ? "an id (a GUID such as 3f2504e0-4f89-41d3-9a0c-0305e82c3301)"
            : type.Contains("bool", StringComparison.OrdinalIgnoreCase) ? "true or false"
            : type.Contains("double", StringComparison.OrdinalIgnoreCase) ? "a number"
            : type.Contains("Date", StringComparison.Ordinal) ? "an ISO 8601 date"
            : "a value of the form the API description gives";
        return (400, "A parameter is not valid", $"'{field}' must be {expected}; '{binding.Groups["value"].Value}' is not.");
    }

    [System.Text.RegularExpressions.GeneratedRegex("^Failed to bind parameter \"(?<type>.+) (?<name>[^ \"]+)\" from \"(?<value>.*)\"\\.$")]
    private static partial System.Text.RegularExpressions.Regex BindingFailure();

    /// <summary>Route binding messages name parameters in the API's words already; anything naming .NET is replaced.</summary>
    private static string Plain(BadHttpRequestException bad) =>
        bad.Message.Contains("no body was provided", StringComparison.Ordinal) ? "A JSON body is required."
        : bad.Message.Contains("System.", StringComparison.Ordinal) || bad.Message.Contains("reader options", StringComparison.OrdinalIgnoreCase)
            ? "The request could not be read; check the parameters and body against the API description."
            : bad.Message;
}
