using System.Security.Claims;
using System.Text.Json;
using EnergyTrade.Contracts.Security;

namespace EnergyTrade.ServiceDefaults.Security;

/// <summary>
/// The scopes a token's roles grant, by configuration (Auth:RoleScopes). Providers put what an operator
/// assigns in roles rather than scopes: Entra ID's client-credentials tokens carry only "roles", and
/// Keycloak nests realm roles in "realm_access". With Auth:ScopesFromRoleNames a role named exactly like a
/// scope grants that scope, so Entra ID app roles "shipments:read" … need no mapping (a configuration key
/// cannot hold the ":").
/// Roles count only for a token whose "scope"/"scp" names none of the services' scopes: a token asked
/// for fewer scopes than its holder's roles allow (down-scoped, or consented to) keeps exactly those.
/// </summary>
public sealed class RoleScopes(IReadOnlyList<string> roleClaimPaths, IReadOnlyDictionary<string, string> scopesByRole, bool scopesFromRoleNames)
{
    public static RoleScopes From(AuthOptions options) => new(options.RoleClaimPaths, options.RoleScopes, options.ScopesFromRoleNames);

    public bool IsEmpty => roleClaimPaths.Count == 0 || (scopesByRole.Count == 0 && !scopesFromRoleNames);

    public IEnumerable<string> ScopesOf(ClaimsPrincipal user)
    {
        if (NamesOurScopes(user)) return [];
        return RolesOf(user)
            .SelectMany(role => scopesByRole.TryGetValue(role, out var scopes) ? scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries)
                : scopesFromRoleNames && Scopes.All.Contains(role, StringComparer.Ordinal) ? [role] : [])
            .Distinct(StringComparer.Ordinal);
    }

    private static bool NamesOurScopes(ClaimsPrincipal user) =>
        SecurityExtensions.ScopesIn(user).Any(scope => Scopes.All.Contains(scope, StringComparer.Ordinal));

    public IEnumerable<string> RolesOf(ClaimsPrincipal user) => roleClaimPaths.SelectMany(path => ValuesAt(user, path));

    /// <summary>
    /// A path is a claim type, or a claim type followed by property names inside its JSON value
    /// ("realm_access.roles"). The whole path is tried as a claim type first, since claim types may hold dots.
    /// </summary>
    private static IEnumerable<string> ValuesAt(ClaimsPrincipal user, string path)
    {
        var whole = user.FindAll(path).ToList();
        if (whole.Count > 0) return whole.SelectMany(c => Strings(c.Value));
        var dot = path.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0) return [];
        var properties = path[(dot + 1)..].Split('.');
        return user.FindAll(path[..dot]).SelectMany(c => Navigate(c.Value, properties));
    }

    private static IEnumerable<string> Navigate(string json, string[] properties)
    {
        JsonElement element;
        try
        {
            element = JsonDocument.Parse(json).RootElement;
        }
        catch (JsonException)
        {
            return [];
        }
        foreach (var property in properties)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(property, out element)) return [];
        }
        return element.ValueKind switch
        {
            JsonValueKind.Array => element.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToList(),
            JsonValueKind.String => [element.GetString()!],
            _ => [],
        };
    }

    /// <summary>A claim's value is one role, or (from some handlers) a JSON array of them.</summary>
    private static IEnumerable<string> Strings(string value) =>
        value.StartsWith('[') ? Navigate(value, []) : [value];
}
