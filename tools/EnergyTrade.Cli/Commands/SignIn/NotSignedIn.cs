using EnergyTrade.Cli.Profiles;

namespace EnergyTrade.Cli.Commands.SignIn;

/// <summary>What to say when there is nothing to send, for whoami and token alike.</summary>
public static class NotSignedIn
{
    public static string Message(ConfigProfile profile) =>
        $"Not signed in{(profile.Name == ProfileName.Default ? "" : $" (profile '{profile.Name}')")}: run energytrade login" +
        (profile.Name == ProfileName.Default ? "" : $" --profile {profile.Name}") +
        ". Scripts set ENERGYTRADE_CLIENT_ID and ENERGYTRADE_CLIENT_SECRET (with ENERGYTRADE_AUTHORITY), or ENERGYTRADE_TOKEN.";
}
