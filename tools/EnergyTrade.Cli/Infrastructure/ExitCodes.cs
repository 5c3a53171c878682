namespace EnergyTrade.Cli.Infrastructure;

public static class ExitCodes
{
    public const int Success = 0;
    /// <summary>A service refused or failed, an import rejected rows, or totals did not catch up in time.</summary>
    public const int Failure = 1;
    /// <summary>The command line was wrong; nothing was sent.</summary>
    public const int Usage = 2;
    /// <summary>
    /// No usable credentials: nobody is signed in, the sign-in expired, or a service refused the token as
    /// unauthenticated. `energytrade login` is the answer (as gh uses 4 for "authentication required").
    /// </summary>
    public const int NotSignedIn = 4;
    /// <summary>Ctrl-C, as shells report SIGINT.</summary>
    public const int Cancelled = 130;
}
