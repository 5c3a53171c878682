namespace EnergyTrade.ServiceDefaults.Security;

/// <summary>Configuration section "Auth".</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>Required issuer ("iss") of every token.</summary>
    public string Issuer { get; set; } = "energytrade-local";
    /// <summary>An OpenID Connect authority whose discovery document provides the signing keys.</summary>
    public string? Authority { get; set; }
    /// <summary>For local use: an HS256 key, the UTF-8 bytes of this string (at least 32 characters).</summary>
    public string? SigningKey { get; set; }
    /// <summary>Lets the service start without any key, every method open. Tests may set it; never in production.</summary>
    public bool AllowAnonymous { get; set; }

    public bool HasKeys => !string.IsNullOrWhiteSpace(Authority) || !string.IsNullOrEmpty(SigningKey);
}
