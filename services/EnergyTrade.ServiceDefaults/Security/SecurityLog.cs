using Microsoft.Extensions.Logging;

namespace EnergyTrade.ServiceDefaults.Security;

internal static partial class SecurityLog
{
    [LoggerMessage(LogLevel.Information, "Trusting tokens from {Authority} for audience {Audience}")]
    public static partial void TrustingAuthority(ILogger logger, string authority, string audience);

    [LoggerMessage(LogLevel.Warning,
        "Local-development token mode: HS256 tokens signed with the shared key Auth:SigningKey (issuer {Issuer}) are trusted. Anyone holding that key can sign any scope; set Auth:Authority to an identity provider outside development")]
    public static partial void SharedKeyMode(ILogger logger, string issuer);

    [LoggerMessage(LogLevel.Warning, "Auth:AllowAnonymous is set: every method is open to anyone who can reach the service")]
    public static partial void AnonymousMode(ILogger logger);
}
