using EnergyTrade.Cli.Infrastructure;
using EnergyTrade.Cli.Profiles;

namespace EnergyTrade.Cli.Auth;

/// <summary>
/// tokens/PROFILE.lock, held while a profile's cached sign-in is read and replaced: a renewal (read, refresh, write back),
/// login's write and logout's read and delete. So two commands never both spend a refresh token, and a login or a
/// logout is never undone by a renewal that started before it. The file itself is never deleted.
/// </summary>
public static class SignInLock
{
    /// <summary>
    /// How long a command waits for the lock: longer than its holder can keep it, which is a renewal's discovery and
    /// token request, each bounded by <see cref="CliEnvironment.IdentityTimeout"/>, with a margin.
    /// </summary>
    public static TimeSpan Patience(CliEnvironment environment) => environment.IdentityTimeout * 2 + TimeSpan.FromSeconds(30);

    public static Task<IDisposable> TakeAsync(ConfigDirectory directory, string profile, CliEnvironment environment, CancellationToken cancellationToken)
    {
        var file = directory.LockFile(profile);
        return PrivateFile.LockAsync(file, Patience(environment), environment.Clock,
            $"Another energytrade command is renewing profile {profile}'s sign-in and still holds {file} after " +
            $"{Patience(environment).TotalSeconds:0} s; try again", cancellationToken);
    }
}
