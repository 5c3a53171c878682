using System.Security.Cryptography;
using System.Text;

namespace EnergyTrade.Identity.Users;

/// <summary>A person known to the provider, and the scopes their roles let them grant.</summary>
public sealed record DevelopmentUser(string Name, IReadOnlyList<string> Roles, IReadOnlySet<string> AllowedScopes);

/// <summary>The users of Identity:Users. Kept in configuration, not the database: this provider is for development.</summary>
public sealed class DevelopmentUsers(IdentityOptions options)
{
    private readonly Dictionary<string, (UserOptions Options, DevelopmentUser User)> _users = options.Users.ToDictionary(
        u => u.Key,
        u => (u.Value, new DevelopmentUser(u.Key, u.Value.RoleList, Roles.AllowedScopes(u.Value.RoleList))),
        StringComparer.Ordinal);

    /// <summary>The user, if the name is known and the password is theirs.</summary>
    public DevelopmentUser? Authenticate(string? name, string? password)
    {
        var known = _users.TryGetValue(name ?? "", out var user);
        // Compared in constant time, and for unknown names too, so timing tells nobody which names exist.
        var matches = SameSecret(password ?? "", known ? user.Options.Password! : "\0unknown user");
        return known && matches ? user.User : null;
    }

    /// <summary>The user still known by this name, when a device code or refresh token of theirs is redeemed.</summary>
    public DevelopmentUser? Find(string? name) => _users.TryGetValue(name ?? "", out var user) ? user.User : null;

    private static bool SameSecret(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
