namespace EnergyTrade.Identity.Verification;

/// <summary>A device-flow request waiting for a person: the code they typed, the program asking, and for what.</summary>
public sealed record PendingSignIn(string UserCode, string ClientId, string ClientName, IReadOnlyList<string> Scopes);
