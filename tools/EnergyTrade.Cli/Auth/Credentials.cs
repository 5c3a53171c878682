namespace EnergyTrade.Cli.Auth;

/// <summary>What the CLI would send, described: whoami shows it, and a refused call names it.</summary>
public sealed record Credentials(CredentialSource Source, string Profile, string? Authority, string? ClientId, string? Subject,
    IReadOnlyList<string> Scopes, DateTimeOffset? ExpiresAt, bool Renewable)
{
    public static Credentials None(string profile) => new(CredentialSource.None, profile, null, null, null, [], null, false);

    /// <summary>"trader through client energytrade-cli", "client energytrade-reader", "subject x".</summary>
    public string Who => (Subject, ClientId) switch
    {
        ({ } subject, { } client) when subject != client => $"{subject} through client {client}",
        (_, { } client) => $"client {client}",
        ({ } subject, null) => subject,
        _ => "an unknown subject",
    };

    /// <summary>For an error message: "trader through client energytrade-cli (the cached sign-in of energytrade login), carrying …".</summary>
    public string Summary => Source == CredentialSource.None ? "no token"
        : $"{Who} ({Source.Describe()}), carrying {(Scopes.Count == 0 ? "no scope" : string.Join(' ', Scopes))}";
}
