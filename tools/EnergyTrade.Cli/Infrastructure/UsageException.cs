namespace EnergyTrade.Cli.Infrastructure;

/// <summary>The command line itself is wrong (a bad value, a missing file): exit code 2, like a parse error.</summary>
public sealed class UsageException(string message) : Exception(message);
