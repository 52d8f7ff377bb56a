using System.ComponentModel.DataAnnotations;

namespace Forecasting.Api.Auth;

/// <summary>The "Auth" section: Auth:Mode (open or keys) and Auth:AdminKey (environment: Auth__Mode, Auth__AdminKey).</summary>
public sealed class AuthOptions : IValidatableObject
{
    public const string Section = "Auth";
    public const int MinAdminKeyLength = 32;

    /// <summary>open (the default; refused unless the service listens only on loopback) or keys.</summary>
    public AuthMode Mode { get; set; } = AuthMode.Open;

    /// <summary>The first admin key, from configuration or the environment; never stored in the database. All scopes.</summary>
    public string? AdminKey { get; set; }

    /// <summary>A configured admin key must be long enough to be unguessable (blanks around it do not count).</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (AdminKey is { } key && key.Trim().Length < MinAdminKeyLength)
            yield return new ValidationResult(
                $"Auth:AdminKey must be at least {MinAdminKeyLength} characters (e.g. the output of `openssl rand -base64 32`).", [nameof(AdminKey)]);
    }
}
