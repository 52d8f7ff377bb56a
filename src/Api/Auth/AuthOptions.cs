using Microsoft.Extensions.Options;

namespace Forecasting.Api.Auth;

/// <summary>The "Auth" section: Auth:Mode (open or keys) and Auth:AdminKey (environment: Auth__Mode, Auth__AdminKey).</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";
    public const int MinAdminKeyLength = 32;

    /// <summary>open (the default; refused unless the service listens only on loopback) or keys.</summary>
    public AuthMode Mode { get; set; } = AuthMode.Open;

    /// <summary>The first admin key, from configuration or the environment; never stored in the database. All scopes.</summary>
    public string? AdminKey { get; set; }
}

/// <summary>Checked at start-up (ValidateOnStart): a configured admin key must be long enough to be unguessable.</summary>
public sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options) =>
        options.AdminKey is { } key && key.Trim().Length < AuthOptions.MinAdminKeyLength
            ? ValidateOptionsResult.Fail($"Auth:AdminKey must be at least {AuthOptions.MinAdminKeyLength} characters (e.g. the output of `openssl rand -base64 32`).")
            : ValidateOptionsResult.Success;
}
