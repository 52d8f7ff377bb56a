using System.Diagnostics;

namespace Forecasting.Api.Hosting;

/// <summary>One log line per request: method, path, status, elapsed milliseconds and trace id.</summary>
public sealed class RequestLogging(RequestDelegate next, ILogger<RequestLogging> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var level = context.Response.StatusCode >= 500 ? LogLevel.Error : LogLevel.Information;
            if (logger.IsEnabled(level))
                logger.Log(level, "HTTP {Method} {Path} responded {StatusCode} in {Elapsed:0.000} ms (trace {TraceId})",
                    context.Request.Method, context.Request.Path.Value, context.Response.StatusCode, elapsed,
                    Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier);
        }
    }
}
