using EnergyTrade.Cli.Auth;
using EnergyTrade.Cli.Commands;
using EnergyTrade.Cli.Commands.Config;
using EnergyTrade.Cli.Commands.Grades;
using EnergyTrade.Cli.Commands.Reconcile;
using EnergyTrade.Cli.Commands.Shipments;
using EnergyTrade.Cli.Commands.SignIn;
using EnergyTrade.Cli.Commands.Trade;
using EnergyTrade.Cli.Grpc;
using EnergyTrade.Cli.Infrastructure;
using EnergyTrade.Cli.Output;
using EnergyTrade.Cli.Profiles;
using Grpc.Core;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EnergyTrade.Cli;

/// <summary>The command tree, and how failures become messages and exit codes.</summary>
/// <remarks>
/// The global options (--shipments-url, --output, ...) belong to each command rather than to the
/// branches, so every command's --help lists them; they go after the command name.
/// </remarks>
public static class CliApp
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, CliEnvironment environment, CancellationToken cancellationToken = default)
    {
        var app = new CommandApp();
        app.Configure(config =>
        {
            config.SetApplicationName("energytrade");
            config.ConfigureConsole(environment.Out);
            config.Settings.Registrar.RegisterInstance(environment);
            config.SetExceptionHandler((exception, _) => HandleException(exception, environment));
            config.CancellationExitCode(ExitCodes.Cancelled);
            // An option no command knows is an error, not silently dropped: a mistyped --form or an
            // --as-of given to a command that has none would otherwise answer a different question.
            config.Settings.StrictParsing = true;

            config.AddExample("shipments", "import", "seed/azerbaijan-belarus-2020.csv");
            config.AddExample("trade", "totals", "AZ", "BY", "--from", "2020-01", "--to", "2020-04");

            config.AddBranch("shipments", shipments =>
            {
                shipments.SetDescription("Record, correct and read oil shipments (the Shipments service).");
                shipments.AddCommand<CreateCommand>("create")
                    .WithDescription("Record one shipment.")
                    .WithExample("shipments", "create", "--exporter", "AZ", "--importer", "BY", "--origin", "AZ", "--grade", "\"Azeri Light\"",
                        "--quantity", "85000", "--unit", "t", "--barrels-per-tonne", "7.45", "--value-usd", "25000000.00",
                        "--load-date", "2020-03-28", "--load-port", "Supsa", "--shipper", "SOCAR");
                shipments.AddCommand<GetCommand>("get")
                    .WithDescription("Show one shipment.")
                    .WithExample("shipments", "get", "shipments/0b4f6c9e-5d2a-4c1e-9f3b-7a8d2e1c6b5a");
                shipments.AddCommand<ListCommand>("list")
                    .WithDescription("List shipments, newest load date first; --all writes every page as it comes (with --output json, one shipment per line).")
                    .WithExample("shipments", "list", "--exporter", "AZ", "--importer", "BY", "--from", "2020-01", "--to", "2020-04", "--all");
                shipments.AddCommand<ExportCommand>("export")
                    .WithDescription("Write every matching shipment, read in one snapshot, as CSV that shipments import reads back (request_id: the shipment's name) or as NDJSON, to standard output or --file; rows and rows/s on stderr at a terminal.")
                    .WithExample("shipments", "export", "--exporter", "AZ", "--from", "2020-01", "--to", "2020-12", "--file", "az-2020.csv")
                    .WithExample("shipments", "export", "--importer", "BY", "--format", "ndjson");
                shipments.AddCommand<HistoryCommand>("history")
                    .WithDescription("Every version of a shipment, newest first: when, what changed, by whom and why, with its barrels and state.")
                    .WithExample("shipments", "history", "shipments/0b4f6c9e-5d2a-4c1e-9f3b-7a8d2e1c6b5a");
                shipments.AddCommand<ImportCommand>("import")
                    .WithDescription("Record every row of a CSV file. Safe to re-run: each row's request_id makes a repeat return the shipment recorded the first time.")
                    .WithExample("shipments", "import", "seed/azerbaijan-belarus-2020.csv");
                shipments.AddCommand<AmendCommand>("amend")
                    .WithDescription("Correct a shipment: only the fields given change (the quantity options together are the quantity); shows each before and after and the new version.")
                    .WithExample("shipments", "amend", "shipments/0b4f6c9e-5d2a-4c1e-9f3b-7a8d2e1c6b5a", "--quantity", "85000", "--unit", "t", "--barrels-per-tonne", "7.5")
                    .WithExample("shipments", "amend", "0b4f6c9e-5d2a-4c1e-9f3b-7a8d2e1c6b5a", "--value-usd", "25000000.00", "--version", "2");
                shipments.AddCommand<CancelCommand>("cancel")
                    .WithDescription("Cancel a shipment: it stays on record but counts in no total. Cancelling twice changes nothing.")
                    .WithExample("shipments", "cancel", "shipments/0b4f6c9e-5d2a-4c1e-9f3b-7a8d2e1c6b5a", "--reason", "\"cargo did not load\"");
                shipments.AddCommand<RepublishCommand>("republish")
                    .WithDescription("Publish the current snapshot of every matching shipment again, so Trade can rebuild its totals: an admin operation (shipments:admin) shown with a progress bar; --cancel stops one. Harmless to repeat.")
                    .WithExample("shipments", "republish", "--exporter", "AZ", "--importer", "BY", "--from", "2020-01", "--to", "2020-04");
            });
            config.AddBranch("grades", grades =>
            {
                grades.SetDescription("The reference catalogue of crude grades (the Shipments service).");
                grades.AddCommand<ListGradesCommand>("list")
                    .WithDescription("Every grade: aliases, typical origin, API gravity and the standard barrels per tonne a shipment of it without a factor converts at.")
                    .WithExample("grades", "list")
                    .WithExample("grades", "list", "--output", "json");
            });
            config.AddBranch("trade", trade =>
            {
                trade.SetDescription("Bilateral trade figures: totals, comparisons, series, partners, revisions, live changes (the Trade service).");
                trade.AddCommand<TotalsCommand>("totals")
                    .WithDescription("Exports, imports, split by origin of the oil, turnover and balance between two countries; --output csv writes a row per line of the table, for a spreadsheet.")
                    .WithExample("trade", "totals", "AZ", "BY", "--from", "2020-01", "--to", "2020-04")
                    .WithExample("trade", "totals", "BY", "RU", "--basis", "origin", "--output", "json")
                    .WithExample("trade", "totals", "AZ", "BY", "--from", "2020-01", "--to", "2020-04", "--compare")
                    .WithExample("trade", "totals", "AZ", "BY", "--from", "2020-01", "--to", "2020-12", "--group-by", "grade", "--output", "csv");
                trade.AddCommand<SeriesCommand>("series")
                    .WithDescription("Month by month: exports and imports in barrels and value, turnover and balance; --output csv writes a row per month with every figure of each flow, for a spreadsheet.")
                    .WithExample("trade", "series", "AZ", "BY", "--from", "2020-01", "--to", "2020-12")
                    .WithExample("trade", "series", "AZ", "BY", "--from", "2020-01", "--to", "2020-12", "--output", "csv");
                trade.AddCommand<PartnersCommand>("partners")
                    .WithDescription("A country's trade partners, ranked by turnover value or by barrels.")
                    .WithExample("trade", "partners", "AZ", "--from", "2020-01", "--to", "2020-12", "--order-by", "barrels");
                trade.AddCommand<RevisionsCommand>("revisions")
                    .WithDescription("How a pair's months changed since an instant: each month before and after with the change, and the shipment versions recorded in between that made it.")
                    .WithExample("trade", "revisions", "AZ", "BY", "--from", "2020-01", "--to", "2020-04", "--since", "2020-05-01");
                trade.AddCommand<RefusedCommand>("refused")
                    .WithDescription("Shipment events Trade refused to count (moved to its _error queue) and why; --dismiss forgets one message's refusals.")
                    .WithExample("trade", "refused")
                    .WithExample("trade", "refused", "--dismiss", "0b4f6c9e-5d2a-4c1e-9f3b-7a8d2e1c6b5a");
                trade.AddCommand<WatchCommand>("watch")
                    .WithDescription("The totals between two countries now, then a line each time they change, until Ctrl-C.")
                    .WithExample("trade", "watch", "AZ", "BY", "--from", "2020-01", "--to", "2020-04");
            });
            config.AddCommand<ReconcileCommand>("reconcile")
                .WithDescription("Check Trade's totals against Shipments' own sums, for the whole range and month by month; exit code 1 when any figure differs.")
                .WithExample("reconcile", "AZ", "BY", "--from", "2020-01", "--to", "2020-04")
                .WithExample("reconcile", "AZ", "BY", "--basis", "both", "--wait", "60");
            config.AddCommand<LoginCommand>("login")
                .WithDescription("Sign in at the identity provider: a person through a browser (device sign-in, client energytrade-cli), a script with " +
                    "client credentials (--client-secret-file or $ENERGYTRADE_CLIENT_SECRET). The tokens are kept for the profile and renewed silently.")
                .WithExample("login", "--authority", "http://127.0.0.1:5300/")
                .WithExample("login", "--client-credentials", "--client-id", "energytrade-importer", "--client-secret-file", "importer.secret");
            config.AddCommand<LogoutCommand>("logout")
                .WithDescription("Revoke the profile's refresh token at the identity provider and delete its cached sign-in.")
                .WithExample("logout");
            config.AddCommand<WhoamiCommand>("whoami")
                .WithDescription("Who the commands act as: profile, identity provider, client, subject, scopes, expiry, and where the token comes from.")
                .WithExample("whoami")
                .WithExample("whoami", "--output", "json");
            config.AddCommand<TokenCommand>("token")
                .WithDescription("Print the access token the commands would send, for grpcurl and other clients; in local-development mode (no sign-in, " +
                    "$ENERGYTRADE_SIGNING_KEY set to the services' shared key) one minted with the scopes asked for.")
                .WithExample("token")
                .WithExample("token", "--scope", "\"shipments:read trade:read\"");
            config.AddBranch("config", settings =>
            {
                settings.SetDescription("Profiles of settings (service URLs, identity provider, client, TLS files) in config.json under " +
                    "$ENERGYTRADE_CONFIG_DIR, else $XDG_CONFIG_HOME/energytrade, else ~/.config/energytrade.");
                settings.AddCommand<ConfigSetCommand>("set")
                    .WithDescription($"Keep a setting in the profile ({ConfigKey.Names}).")
                    .WithExample("config", "set", "authority", "https://login.example.org/realms/energytrade", "--profile", "prod");
                settings.AddCommand<ConfigGetCommand>("get")
                    .WithDescription("Print a setting the profile holds; exit code 1 when it holds none.")
                    .WithExample("config", "get", "authority");
                settings.AddCommand<ConfigUnsetCommand>("unset")
                    .WithDescription("Remove a setting from the profile.")
                    .WithExample("config", "unset", "ca_file");
                settings.AddCommand<ConfigListCommand>("list")
                    .WithDescription("Every setting's effective value for the profile and where it comes from: option, environment variable, profile or default.")
                    .WithExample("config", "list", "--profile", "prod");
                settings.AddCommand<ConfigProfilesCommand>("profiles")
                    .WithDescription("The profiles, which is the default, which is in use, and which are signed in.")
                    .WithExample("config", "profiles");
                settings.AddCommand<ConfigUseCommand>("use")
                    .WithDescription("Make a profile the default one.")
                    .WithExample("config", "use", "prod");
            });
        });
        return await app.RunAsync(args, cancellationToken);
    }

    private static int HandleException(Exception exception, CliEnvironment environment)
    {
        switch (exception)
        {
            case ServiceCallException failure:
                ErrorView.Write(environment.Error, ErrorFormatter.Format(failure));
                // A token the service does not take is as good as none: signing in (again) is the answer.
                return failure.StatusCode == StatusCode.Unauthenticated ? ExitCodes.NotSignedIn : ExitCodes.Failure;
            case NotSignedInException notSignedIn:
                ErrorView.Write(environment.Error, new FormattedError(notSignedIn.Message, []));
                return ExitCodes.NotSignedIn;
            case IdentityProviderException provider:
                ErrorView.Write(environment.Error, new FormattedError(provider.Message, []));
                return ExitCodes.Failure;
            case FileBusyException busy:
                ErrorView.Write(environment.Error, new FormattedError(busy.Message, []));
                return ExitCodes.Failure;
            case UsageException usage:
                ErrorView.Write(environment.Error, new FormattedError(usage.Message, []));
                return ExitCodes.Usage;
            case CommandAppException parse when parse.Pretty is { } pretty:
                // Spectre's own rendering points at the offending argument.
                environment.Error.Write(pretty);
                return ExitCodes.Usage;
            case CommandAppException invalid:
                // Settings validation lists every problem, one per line.
                var problems = invalid.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                ErrorView.Write(environment.Error, problems.Length == 1
                    ? new FormattedError(problems[0], [])
                    : new FormattedError($"The command line has {problems.Length} problems; nothing was sent:", problems));
                return ExitCodes.Usage;
            case OperationCanceledException:
                ErrorView.Write(environment.Error, new FormattedError("Cancelled.", []));
                return ExitCodes.Cancelled;
            default:
                ErrorView.Write(environment.Error, new FormattedError($"{exception.GetType().Name}: {exception.Message}", []));
                return ExitCodes.Failure;
        }
    }
}
