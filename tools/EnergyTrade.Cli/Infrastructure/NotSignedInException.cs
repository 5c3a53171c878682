namespace EnergyTrade.Cli.Infrastructure;

/// <summary>
/// There is no token to send, or the one there was can no longer be renewed: exit code 4, with a message
/// that says how to sign in.
/// </summary>
public sealed class NotSignedInException(string message) : Exception(message);
