using Grpc.Core;
using Spectre.Console;

namespace EnergyTrade.Cli.Infrastructure;

/// <summary>
/// Everything the commands take from the outside world, in one place so tests can run the whole
/// CLI in-process: consoles, environment variables (which also locate the configuration directory), the clock
/// and (optionally) the gRPC and identity provider transports.
/// </summary>
public sealed class CliEnvironment
{
    /// <summary>Tables, progress and summaries.</summary>
    public required IAnsiConsole Out { get; init; }
    /// <summary>Errors and warnings, so they never end up inside JSON meant for a script.</summary>
    public required IAnsiConsole Error { get; init; }
    /// <summary>Unformatted standard output for JSON: a console would wrap long lines at its width.</summary>
    public required TextWriter RawOut { get; init; }
    public Func<string, string?> Variables { get; init; } = Environment.GetEnvironmentVariable;
    /// <summary>The time of day, and every wait (retries, polls): a test's clock can record waits instead of sleeping.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;
    /// <summary>Whether standard error is a terminal, where a live progress line can be redrawn; false in a log or a pipe.</summary>
    public bool ErrorIsTerminal { get; init; }
    /// <summary>Whether standard output is a terminal, where a progress line on standard error would be drawn among the rows.</summary>
    public bool OutIsTerminal { get; init; }
    /// <summary>When set, calls go to this invoker instead of a real channel to the URL.</summary>
    public Func<Uri, CallInvoker>? Invokers { get; init; }
    /// <summary>When set, requests to the identity provider go through a handler from here instead of the network.</summary>
    public Func<HttpMessageHandler>? IdentityHttp { get; init; }
    /// <summary>
    /// How long one request to the identity provider may take before it counts as unanswered. Network time, like a
    /// connection's timeout: it runs on the wall clock, not on <see cref="Clock"/>.
    /// </summary>
    public TimeSpan IdentityTimeout { get; init; } = DefaultIdentityTimeout;

    public static readonly TimeSpan DefaultIdentityTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Waits on <see cref="Clock"/>, as the retries do.</summary>
    public Task Delay(TimeSpan delay, CancellationToken cancellationToken) => Task.Delay(delay, Clock, cancellationToken);

    /// <summary>Width for output that goes to a file or a pipe, where nothing wraps it again.</summary>
    public const int RedirectedWidth = 200;

    public static CliEnvironment ForProcess() => new()
    {
        Out = Create(Console.Out, Console.IsOutputRedirected),
        Error = Create(Console.Error, Console.IsErrorRedirected),
        RawOut = Console.Out,
        ErrorIsTerminal = !Console.IsErrorRedirected,
        OutIsTerminal = !Console.IsOutputRedirected,
    };

    private static IAnsiConsole Create(TextWriter writer, bool redirected)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer) });
        // Spectre assumes 80 columns when there is no terminal, which folds tables into unreadable slivers in a log.
        if (redirected) console.Profile.Width = RedirectedWidth;
        return console;
    }
}
