namespace EnergyTrade.EndToEnd.Tests.Properties;

/// <summary>
/// Inputs the generators leave out because they trip a bug already found and reported, so the suite
/// stays useful for everything else until it is fixed. ENERGYTRADE_PROPERTY_KNOWN_ISSUES=1 puts them back,
/// which is how to check a fix; then delete the switch.
/// </summary>
public static class KnownIssues
{
    public const string Variable = "ENERGYTRADE_PROPERTY_KNOWN_ISSUES";

    public static bool Included => Environment.GetEnvironmentVariable(Variable) == "1";

    /// <summary>
    /// A shipment loaded on 0001-01-01 or 9999-12-31 is stored by Npgsql as PostgreSQL -infinity/infinity
    /// (DateOnly.MinValue/MaxValue), and SummarizeShipments over any range holding it fails INTERNAL
    /// (22003 integer out of range, date_part('year', load_date)::int) for that pair from then on.
    /// </summary>
    public static bool InfiniteLoadDates => Included;

    public static string Summary => Included ? "known issues included" : $"known issues left out (set {Variable}=1 to include): load dates 0001-01-01 and 9999-12-31";
}
