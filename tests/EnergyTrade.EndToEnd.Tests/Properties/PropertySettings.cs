using System.Globalization;

namespace EnergyTrade.EndToEnd.Tests.Properties;

/// <summary>
/// How much the property suite does. CI runs the default; a soak sets ENERGYTRADE_PROPERTY_REQUESTS higher,
/// and a failing run is replayed with the seed its summary line printed.
/// </summary>
public static class PropertySettings
{
    /// <summary>Generated requests across the whole suite (reads for the checks come on top).</summary>
    public const string RequestsVariable = "ENERGYTRADE_PROPERTY_REQUESTS";
    /// <summary>A run's seed, as printed in its summary line: replays that one run.</summary>
    public const string SeedVariable = "ENERGYTRADE_PROPERTY_SEED";
    /// <summary>Requests in flight at once.</summary>
    public const string ConcurrencyVariable = "ENERGYTRADE_PROPERTY_CONCURRENCY";

    public static int TotalRequests => Int(RequestsVariable, 10_000);

    public static int Concurrency => Int(ConcurrencyVariable, 32);

    public static string? Seed => Environment.GetEnvironmentVariable(SeedVariable) is { Length: > 0 } seed ? seed : null;

    private static int Int(string variable, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(variable), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : fallback;
}
