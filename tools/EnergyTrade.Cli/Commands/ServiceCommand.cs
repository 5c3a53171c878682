using EnergyTrade.Cli.Auth;
using EnergyTrade.Cli.Grpc;
using EnergyTrade.Cli.Infrastructure;
using EnergyTrade.Cli.Output;
using Google.Protobuf;
using Grpc.Core;
using Spectre.Console.Cli;

namespace EnergyTrade.Cli.Commands;

/// <summary>
/// A command that talks to the services: resolves the global options, gets the first token (so a failure to sign
/// in is reported before anything is sent) and owns the channels for one run.
/// </summary>
public abstract class ServiceCommand<TSettings>(CliEnvironment environment) : AsyncCommand<TSettings> where TSettings : GlobalSettings
{
    protected CliEnvironment Environment => environment;

    public sealed override async Task<int> ExecuteAsync(CommandContext context, TSettings settings, CancellationToken cancellationToken)
    {
        var options = settings.Resolve(environment.Variables);
        if (options.Csv && !WritesCsv)
        {
            throw new UsageException($"--output csv is only for {GlobalSettings.CsvCommands}; use table or json here " +
                "(shipments export has its own --format csv).");
        }
        using var tokens = new TokenSource(SignInConfig.Resolve(options.Profile, options.Tls), environment);
        using var clients = new ServiceClients(options, environment, tokens);
        await tokens.PrepareAsync(cancellationToken);
        try
        {
            return await RunAsync(settings, options, clients, cancellationToken);
        }
        catch (ServiceCallException refused) when (refused.StatusCode is StatusCode.Unauthenticated or StatusCode.PermissionDenied)
        {
            refused.Credentials ??= tokens.Describe();
            throw;
        }
    }

    /// <summary>Whether the command answers --output csv; the others refuse it before anything is sent.</summary>
    protected virtual bool WritesCsv => false;

    protected abstract Task<int> RunAsync(TSettings settings, CliOptions options, ServiceClients clients, CancellationToken cancellationToken);

    protected void WriteJson(IMessage message) => environment.RawOut.WriteLine(JsonOutput.Format(message));
}
