using System.Net;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Forecasting.Api.Auth;

/// <summary>
/// The API-key scheme: the key comes in <c>X-Api-Key</c> or <c>Authorization: Bearer</c>; for the read-only
/// job dashboard under /hangfire also in the <c>forecasting_key</c> cookie the web pages set (a browser following a
/// link sends no header). The cookie is ignored everywhere else, so it cannot be used to forge API calls. In open mode every
/// loopback caller is let in with all scopes (start-up refuses open mode on other addresses; this per-request check
/// also covers the moments between binding and that refusal). A challenge is a 401 problem with WWW-Authenticate.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions, ILoggerFactory logger, UrlEncoder encoder,
    IOptions<AuthOptions> auth, ApiKeyStore keys, IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";
    public const string Realm = "forecasting";
    public const string OpenModeActor = "open mode (loopback)";
    public const string DashboardCookie = "forecasting_key";
    public const string DashboardPath = "/hangfire";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (auth.Value.Mode == AuthMode.Open)
            return IsLoopback(Context.Connection.LocalIpAddress)
                ? Success(null, OpenModeActor, ApiScopes.All)
                : AuthenticateResult.Fail("Open mode answers only loopback connections; set Auth:Mode=keys to serve other addresses.");

        var presented = ReadKey(Request) ?? ReadDashboardCookie(Request);
        if (presented is null) return AuthenticateResult.NoResult();
        return await keys.CheckAsync(presented, Context.RequestAborted) switch
        {
            KeyCheck.Valid valid => Success(valid.KeyId, valid.Actor, valid.Scopes),
            KeyCheck.Invalid invalid => AuthenticateResult.Fail(invalid.Reason),
            _ => throw new InvalidOperationException("Unknown key check result."),
        };
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        var failure = result.Failure?.Message;
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.Append("WWW-Authenticate", $"{SchemeName} realm=\"{Realm}\", header=\"{HeaderName}\"");
        Response.Headers.Append("WWW-Authenticate", failure is null ? $"Bearer realm=\"{Realm}\"" : $"Bearer realm=\"{Realm}\", error=\"invalid_token\"");
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails =
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = failure is null ? "An API key is required" : "The API key was refused",
                Detail = failure ?? $"Send an API key in the {HeaderName} header or as 'Authorization: Bearer <key>'. An admin creates keys with POST /api/keys.",
            },
        });
    }

    /// <summary>The key from X-Api-Key, else from Authorization: Bearer; null when neither is there.</summary>
    public static string? ReadKey(HttpRequest request)
    {
        if (request.Headers[HeaderName].ToString() is { Length: > 0 } header) return header.Trim();
        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && authorization[7..].Trim() is { Length: > 0 } bearer ? bearer : null;
    }

    /// <summary>
    /// The cookie's key, only under /hangfire; null anywhere else. The dashboard is read-only (its one POST, /stats,
    /// reads the live counters), and the cookie is SameSite=Strict, so it reads jobs and changes nothing.
    /// </summary>
    public static string? ReadDashboardCookie(HttpRequest request) =>
        request.Path.StartsWithSegments(DashboardPath) && request.Cookies[DashboardCookie] is { Length: > 0 } cookie ? cookie.Trim() : null;

    /// <summary>In-process test servers have no socket (null); Kestrel gives the address the connection came in on.</summary>
    private static bool IsLoopback(IPAddress? local) => local is null || IPAddress.IsLoopback(local);

    private AuthenticateResult Success(Guid? keyId, string actor, IEnumerable<ApiScope> scopes) =>
        AuthenticateResult.Success(new AuthenticationTicket(ApiClaims.Principal(SchemeName, keyId, actor, scopes), SchemeName));
}
