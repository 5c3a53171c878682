namespace EnergyTrade.Cli.Infrastructure;

/// <summary>
/// Another energytrade command held a lock file for longer than this one would wait: exit code 1, with a message
/// that says who holds it and to try again.
/// </summary>
public sealed class FileBusyException(string message, Exception? inner = null) : Exception(message, inner);
