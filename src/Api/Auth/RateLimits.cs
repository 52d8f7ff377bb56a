using System.Globalization;
using System.Threading.RateLimiting;
using Forecasting.Api.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Forecasting.Api.Auth;

/// <summary>
/// ASP.NET Core's rate limiter, one fixed window per key and policy. A refusal is a 429 problem with Retry-After.
/// Open mode (one local user, no keys) is not limited.
/// </summary>
public static class RateLimits
{
    public const string Forecasts = "forecasts";
    public const string Uploads = "uploads";
    public const string Submissions = "submissions";
    public const string StatelessForecasts = "stateless-forecasts";

    public static void AddForecastingRateLimits(this IServiceCollection services)
    {
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(Forecasts, context => Partition(context, Forecasts, limits => limits.Forecasts));
            limiter.AddPolicy(Uploads, context => Partition(context, Uploads, limits => limits.Uploads));
            limiter.AddPolicy(Submissions, context => Partition(context, Submissions, limits => limits.Submissions));
            limiter.AddPolicy(StatelessForecasts, context => Partition(context, StatelessForecasts,
                context.RequestServices.GetRequiredService<IOptions<StatelessForecastLimits>>().Value.Rate));
            limiter.OnRejected = WriteRejectionAsync;
        });
    }

    private static RateLimitPartition<string> Partition(HttpContext context, string policy, Func<Limits, RateWindow> select) =>
        Partition(context, policy, select(context.RequestServices.GetRequiredService<IOptions<Limits>>().Value));

    private static RateLimitPartition<string> Partition(HttpContext context, string policy, RateWindow rate)
    {
        if (CallerKey(context) is not { } caller) return RateLimitPartition.GetNoLimiter(policy);
        return RateLimitPartition.GetFixedWindowLimiter(caller, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = rate.PermitLimit,
            Window = rate.Window,
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }

    /// <summary>The key's id, or the configuration admin key's name; null in open mode.</summary>
    private static string? CallerKey(HttpContext context) =>
        context.User.FindFirst(ApiClaims.KeyId)?.Value
        ?? (context.User.Identity?.Name is { } name && name != ApiKeyAuthenticationHandler.OpenModeActor ? name : null);

    private static async ValueTask WriteRejectionAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var endpoint = context.GetEndpoint()?.DisplayName ?? context.Request.Path.ToString();
        var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)) : 1;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests",
                Detail = $"This key has used its requests for {context.Request.Method} {context.Request.Path} in the current window (Limits section); retry after {seconds} s.",
            },
        });
    }
}
