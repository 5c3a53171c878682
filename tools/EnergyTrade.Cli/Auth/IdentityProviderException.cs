namespace EnergyTrade.Cli.Auth;

/// <summary>The identity provider could not be reached, or refused a request: exit code 1, with what it said.</summary>
public sealed class IdentityProviderException(string message) : Exception(message);
