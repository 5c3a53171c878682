using EnergyTrade.Contracts.Security;

namespace EnergyTrade.Identity.Users;

/// <summary>What each role lets a person grant a program acting for them.</summary>
public static class Roles
{
    public const string Reader = "reader";
    public const string Trader = "trader";
    public const string Admin = "admin";

    private static readonly Dictionary<string, string[]> ScopesOf = new(StringComparer.Ordinal)
    {
        [Reader] = [Scopes.ShipmentsRead, Scopes.TradeRead],
        [Trader] = [Scopes.ShipmentsRead, Scopes.TradeRead, Scopes.ShipmentsWrite],
        [Admin] = [.. Scopes.All],
    };

    public static IReadOnlyCollection<string> Names => ScopesOf.Keys;

    public static IReadOnlySet<string> AllowedScopes(IEnumerable<string> roles) =>
        roles.SelectMany(r => ScopesOf.GetValueOrDefault(r) ?? []).ToHashSet(StringComparer.Ordinal);
}
