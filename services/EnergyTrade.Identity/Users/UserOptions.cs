namespace EnergyTrade.Identity.Users;

/// <summary>A development user, under Identity:Users:{user name}: who may approve a device-flow sign-in.</summary>
public sealed class UserOptions
{
    /// <summary>Never in appsettings.json: e.g. the environment variable Identity__Users__{user name}__Password.</summary>
    public string? Password { get; set; }

    /// <summary>Space-separated roles (<see cref="Roles"/>): reader, trader, admin.</summary>
    public string Roles { get; set; } = "";

    public IReadOnlyList<string> RoleList => Roles.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public IEnumerable<string> Problems(string path)
    {
        if (string.IsNullOrEmpty(Password))
        {
            yield return $"{path}:Password is not set (environment variable {path.Replace(":", "__", StringComparison.Ordinal)}__Password), " +
                "or remove the user.";
        }
        if (RoleList.Count == 0)
        {
            yield return $"{path}:Roles is empty: name some of {string.Join(' ', Users.Roles.Names)}.";
        }
        foreach (var role in RoleList.Where(r => !Users.Roles.Names.Contains(r)))
        {
            yield return $"{path}:Roles names '{role}', which is none of {string.Join(' ', Users.Roles.Names)}.";
        }
    }
}
