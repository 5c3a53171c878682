using EnergyTrade.Cli.Infrastructure;
using Grpc.Core;
using Spectre.Console;

namespace EnergyTrade.Cli.Tests.Support;

/// <summary>Runs the CLI in-process with captured output, given environment variables and a fake transport.</summary>
public sealed class CliRun
{
    public Dictionary<string, string> Variables { get; } = new(StringComparer.Ordinal);
    /// <summary>Talk to real services over the network instead of <see cref="Server"/>.</summary>
    public bool RealTransport { get; init; }
    public FakeCallInvoker Server { get; } = new();
    /// <summary>Which URL each call was sent to.</summary>
    public List<Uri> Urls { get; } = [];
    public TimeProvider Clock { get; set; } = TimeProvider.System;
    /// <summary>When set, requests to the identity provider go to this handler instead of the network.</summary>
    public HttpMessageHandler? IdentityProvider { get; set; }
    /// <summary>How long a request to the identity provider may take (the CLI's own default when null).</summary>
    public TimeSpan? IdentityTimeout { get; set; }
    /// <summary>Retry back-off and poll waits, recorded instead of slept (with the fake transport).</summary>
    public List<TimeSpan> Delays { get; } = [];

    /// <summary>Cancels the run as Ctrl-C does.</summary>
    public CancellationToken Cancellation { get; set; }

    public CapturedText Out { get; private set; } = new();
    public CapturedText Error { get; private set; } = new();
    public CapturedText Json { get; private set; } = new();

    public string Output => Out.ToString() + Json.ToString();

    public async Task<int> RunAsync(params string[] args)
    {
        // Against the real services each call gets a minute unless the test sets its own: a CI run that starts every test
        // assembly's services at once on a slow day saw a first amend or create (a token, the service's first query plans)
        // miss the CLI's default 10 s.
        if (RealTransport && args is ["shipments" or "trade" or "reconcile", ..] && !args.Contains("--timeout"))
        {
            args = [.. args, "--timeout", "60"];
        }
        Out = new CapturedText();
        Error = new CapturedText();
        Json = new CapturedText();
        var environment = new CliEnvironment
        {
            Out = Console(Out),
            Error = Console(Error),
            RawOut = Json,
            Variables = name => Variables.GetValueOrDefault(name),
            Clock = RealTransport ? Clock : new InstantWaits(Clock, Delays),
            // Not disposed by the CLI's client, so one fake answers every run.
            IdentityHttp = IdentityProvider is { } provider ? () => new KeepOpen(provider) : null,
            IdentityTimeout = IdentityTimeout ?? CliEnvironment.DefaultIdentityTimeout,
            Invokers = RealTransport ? null : url =>
            {
                lock (Urls) Urls.Add(url);
                return Server;
            },
        };
        return await CliApp.RunAsync(args, environment, Cancellation);
    }

    /// <summary>Passes requests on to a handler that outlives the HttpClient the CLI disposes.</summary>
    private sealed class KeepOpen(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override void Dispose(bool disposing)
        {
            // The inner handler belongs to the test.
        }
    }

    /// <summary>Wide and plain, so tables neither wrap nor carry escape codes.</summary>
    public static IAnsiConsole Console(TextWriter writer)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = 240;
        return console;
    }

    public static string Render(Spectre.Console.Rendering.IRenderable renderable)
    {
        var writer = new StringWriter();
        Console(writer).Write(renderable);
        return writer.ToString();
    }
}
