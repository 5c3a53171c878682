using System.Security.Claims;

namespace EnergyTrade.Shipments.Revisions;

/// <summary>Who made a change, as the caller's token says: its subject, and the client it was issued to.</summary>
public sealed record Actor(string? Subject, string? Client)
{
    /// <summary>The longest subject or client kept; a longer one is not recorded rather than cut into another identity.</summary>
    public const int MaxLength = 256;

    /// <summary>"sub", and "azp" (OpenID Connect's authorized party) or else "client_id" (RFC 9068); none of them without a token.</summary>
    public static Actor Of(ClaimsPrincipal user) => new(
        Kept(user.FindFirst("sub")?.Value),
        Kept(user.FindFirst("azp")?.Value ?? user.FindFirst("client_id")?.Value));

    private static string? Kept(string? value) => value is { Length: > 0 and <= MaxLength } ? value : null;
}
