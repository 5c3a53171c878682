namespace EnergyTrade.Cli.Auth;

/// <summary>What a token endpoint answered: the access token, until when it lasts (by this machine's clock), and a refresh token if any.</summary>
public sealed record TokenGrant(string AccessToken, DateTimeOffset ExpiresAt, string? RefreshToken, IReadOnlyList<string> Scopes, string? Subject);
