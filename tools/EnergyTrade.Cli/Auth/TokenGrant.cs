using System.Text;

namespace EnergyTrade.Cli.Auth;

/// <summary>
/// What a token endpoint answered: the access token, until when it lasts and when it was issued (by this machine's
/// clock), and a refresh token if any. Printed (a log, a debugger), it shows neither token.
/// </summary>
public sealed record TokenGrant(string AccessToken, DateTimeOffset ExpiresAt, string? RefreshToken, IReadOnlyList<string> Scopes, string? Subject,
    DateTimeOffset IssuedAt)
{
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"AccessToken = {Secrets.Redact(AccessToken)}, ExpiresAt = {ExpiresAt:O}, RefreshToken = {Secrets.Redact(RefreshToken)}, ")
            .Append($"Scopes = [{string.Join(' ', Scopes)}], Subject = {Subject}, IssuedAt = {IssuedAt:O}");
        return true;
    }
}
