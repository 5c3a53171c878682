namespace EnergyTrade.Cli.Auth;

/// <summary>The identity provider could not be reached, or refused a request: exit code 1, with what it said.</summary>
/// <param name="unreachable">
/// Nothing came back (no connection, or no answer in time): worth trying again while a device code or a token lasts,
/// unlike a refusal.
/// </param>
public sealed class IdentityProviderException(string message, bool unreachable = false) : Exception(message)
{
    public bool Unreachable => unreachable;
}
