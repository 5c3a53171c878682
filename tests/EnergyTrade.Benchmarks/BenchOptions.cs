using System.Globalization;

namespace EnergyTrade.Benchmarks;

/// <summary>Command-line options. Every loop the benchmark runs is bounded by these counts and times.</summary>
public sealed class BenchOptions
{
    public int Count { get; private set; } = 20_000;
    public int Concurrency { get; private set; } = 64;
    /// <summary>Shipments created (into a year of their own) and applied before the measured ingest starts.</summary>
    public int Warmup { get; private set; } = 5_000;
    public double QuerySeconds { get; private set; } = 10;
    public double FreshnessSeconds { get; private set; } = 10;
    /// <summary>Open-loop rate for the freshness phase; 0 = half the measured end-to-end ingest rate.</summary>
    public double FreshnessRate { get; private set; }
    /// <summary>False: poll GetBilateralTotals in the freshness phase even when the watch works.</summary>
    public bool FreshnessWatch { get; private set; } = true;
    public double PostgresSeconds { get; private set; } = 5;
    /// <summary>Messages for the raw broker ceiling; 0 = the same as <see cref="Count"/>.</summary>
    public int BrokerCount { get; private set; }
    /// <summary>Longest wait for Trade's totals to become exact after the last create.</summary>
    public double DrainTimeoutSeconds { get; private set; } = 180;
    public Uri ShipmentsUrl { get; private set; } = new("http://localhost:5101");
    public Uri TradeUrl { get; private set; } = new("http://localhost:5201");
    public Uri Amqp { get; private set; } = new("amqp://energytrade:energytrade@localhost:55672/");
    public string Postgres { get; private set; } = "Host=localhost;Port=55432;Username=energytrade;Password=energytrade;Database=postgres";
    public Uri Management { get; private set; } = new("http://localhost:55673");
    /// <summary>A Trade replica that neither consumes events nor caches answers; null = phase 5 is skipped.</summary>
    public Uri? UncachedTradeUrl { get; private set; }
    /// <summary>Trade's database, on the server of <see cref="Postgres"/>: phase 5 loads its shipments there.</summary>
    public string TradeDatabase { get; private set; } = "energytrade_trade";
    /// <summary>Shipments' database, on the same server: phase 6 measures the bytes its revisions take there.</summary>
    public string ShipmentsDatabase { get; private set; } = "energytrade_shipments";
    public int DimensionShipments { get; private set; } = 1_000_000;
    public int DimensionConcurrency { get; private set; } = 8;
    /// <summary>Rows of phase 7's CSV backfill; 0 skips the phase.</summary>
    public int BackfillRows { get; private set; } = 1_000_000;
    /// <summary>Single creates per second while phase 8 replays phase 7's year, and before it.</summary>
    public double ReplayCreateRate { get; private set; } = 200;
    /// <summary>A second Shipments on a database of its own, which phase 9 empties; null = phase 9 is skipped.</summary>
    public Uri? EmptyShipmentsUrl { get; private set; }
    /// <summary>That second Shipments' database, on the server of <see cref="Postgres"/>.</summary>
    public string EmptyShipmentsDatabase { get; private set; } = "energytrade_shipments_empty";
    /// <summary>Shipments stored in Shipments' database for phase 9 (topped up by SQL); 0 skips the phase.</summary>
    public int ScaleRows { get; private set; } = 10_000_000;
    /// <summary>Length of each of phase 9's create rounds (two on each database, alternating).</summary>
    public double ScaleSeconds { get; private set; } = 15;
    /// <summary>The energytrade CLI (its DLL) phase 7 imports and exports with.</summary>
    public string CliPath { get; private set; } = Path.Combine(EnvironmentInfo.FindRepositoryRoot() ?? ".", "tools/EnergyTrade.Cli/bin/Release/net10.0/energytrade.dll");
    public string? Token { get; private set; } = Environment.GetEnvironmentVariable("ENERGYTRADE_TOKEN");
    /// <summary>The identity provider the benchmark takes client-credentials tokens from (as the CLI does).</summary>
    public string? Authority { get; private set; } = FirstSet("ENERGYTRADE_AUTHORITY");
    public string ClientId { get; private set; } = FirstSet("ENERGYTRADE_CLIENT_ID") ?? "energytrade-admin";
    /// <summary>Only from the environment: command lines show up in process listings.</summary>
    public string? ClientSecret { get; } = FirstSet("ENERGYTRADE_CLIENT_SECRET");
    public string? SigningKey { get; private set; } = FirstSet("ENERGYTRADE_SIGNING_KEY", "Auth__SigningKey");
    public string Issuer { get; private set; } = FirstSet("ENERGYTRADE_ISSUER", "Auth__Issuer") ?? "energytrade-local";

    private static string? FirstSet(params string[] names) =>
        names.Select(Environment.GetEnvironmentVariable).FirstOrDefault(v => !string.IsNullOrEmpty(v));
    public string Label { get; private set; } = "run";
    /// <summary>Markdown file the run's section is appended to; null = do not write.</summary>
    public string? Output { get; private set; } = "docs/benchmarks.md";
    public int Seed { get; private set; } = Random.Shared.Next();
    public bool Help { get; private set; }

    public static string Usage => """
        EnergyTrade.Benchmarks — ingest, freshness and query figures of the running system, each next to
        a raw ceiling measured in the same run on the same broker, database and gRPC server.

        usage: scripts/bench.sh [options]          (starts and stops the stack itself unless URLs are given)
               dotnet EnergyTrade.Benchmarks.dll [options]

          --count N               shipments to ingest (default 20000)
          --concurrency C         concurrent calls for ingest, queries and the empty-call ceiling (default 64)
          --warmup W              shipments created and applied, in a year of their own, before the
                                  measured ingest (JIT tiers, pools, caches; default 5000; 0 = none)
          --query-seconds S       duration of the query and empty-call phases (default 10)
          --freshness-seconds S   duration of the open-loop freshness phase (default 10)
          --freshness-rate R      its rate in shipments/s (default: 50% of the measured end-to-end ingest rate)
          --freshness-method M    watch (default; falls back to polling when unavailable) or poll
          --postgres-seconds S    duration of each raw INSERT ceiling run (default 5)
          --broker-count M        messages for the raw broker ceiling (default: --count)
          --drain-timeout S       longest wait for exact totals after the last create (default 180)
          --shipments-url URL     Shipments gRPC (default http://localhost:5101)
          --trade-url URL         Trade gRPC (default http://localhost:5201)
          --amqp URI              broker for the raw ceiling (default amqp://energytrade:energytrade@localhost:55672/)
          --postgres CS           admin connection string for the scratch database
                                  (default Host=localhost;Port=55432;Username=energytrade;Password=energytrade;Database=postgres)
          --management URL        RabbitMQ management API, for its version (default http://localhost:55673)
          --uncached-trade-url URL
                                  a Trade replica started with Messaging__ConsumeEvents=false and
                                  TotalsCache__Enabled=false, for phase 5 (grouped totals, uncached);
                                  without it phase 5 is skipped (scripts/bench.sh starts one on
                                  :5203 when it starts the stack)
          --trade-database NAME   Trade's database on the --postgres server, where phase 5 loads
                                  its shipments (default energytrade_trade)
          --shipments-database NAME
                                  Shipments' database on the same server, where phase 6 measures
                                  the bytes of a stored revision (default energytrade_shipments)
          --dimension-shipments N shipments phase 5 loads into one year (default 1000000)
          --dimension-concurrency C
                                  concurrent grouped calls in phase 5 (default 8)
          --backfill-rows N       rows of phase 7's CSV, imported by the CLI and exported again
                                  (default 1000000; 0 skips phase 7)
          --replay-create-rate R  creates/s while phase 8 republishes phase 7's year, and for
                                  --query-seconds before it (default 200)
          --empty-shipments-url URL
                                  a second Shipments whose database (--empty-shipments-database,
                                  default energytrade_shipments_empty) phase 9 empties, to time creates
                                  on an empty database next to creates on a full one; without it phase 9
                                  is skipped (scripts/bench.sh starts one on :5105 when it starts the stack)
          --scale-rows N          shipments phase 9 stores in Shipments' database, by SQL copies of its
                                  newest rows, before timing creates there (default 10000000; 0 skips phase 9)
          --scale-seconds S       each of phase 9's four create rounds (default 15)
          --cli DLL               the energytrade CLI for phase 7 (default: the repository's Release build,
                                  tools/EnergyTrade.Cli/bin/Release/net10.0/energytrade.dll)
          --token JWT             bearer token for the services (default $ENERGYTRADE_TOKEN)
          --authority URL         or take tokens from this identity provider by client credentials, renewed
                                  as they age (default $ENERGYTRADE_AUTHORITY; secret: $ENERGYTRADE_CLIENT_SECRET;
                                  scripts/bench.sh takes scripts/up.sh's provider and admin client)
          --client-id ID          the client (default $ENERGYTRADE_CLIENT_ID, else energytrade-admin)
          --signing-key KEY       or, for services in local-development token mode, mint one with this
                                  HS256 key (default $ENERGYTRADE_SIGNING_KEY)
          --issuer ISS            issuer of the minted token (default $ENERGYTRADE_ISSUER or energytrade-local)
          --label TEXT            name of the run in docs/benchmarks.md (default "run")
          --output FILE           markdown file to append the run to (default docs/benchmarks.md)
          --no-write              print only
          --seed N                seed of the generated shipments (default random; printed)
        Every address must be on this machine (loopback).
        """;

    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var o = new BenchOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string? inline = null;
            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            if (arg.StartsWith("--", StringComparison.Ordinal) && eq > 0)
            {
                inline = arg[(eq + 1)..];
                arg = arg[..eq];
            }
            string Value()
            {
                if (inline is not null) return inline;
                if (i + 1 >= args.Count) throw new ArgumentException($"{arg} needs a value");
                return args[++i];
            }
            switch (arg)
            {
                case "-h" or "--help": o.Help = true; break;
                case "--count": o.Count = PositiveInt(arg, Value()); break;
                case "--concurrency": o.Concurrency = PositiveInt(arg, Value()); break;
                case "--warmup":
                    var warmup = Value();
                    o.Warmup = warmup == "0" ? 0 : PositiveInt(arg, warmup);
                    break;
                case "--query-seconds": o.QuerySeconds = PositiveDouble(arg, Value()); break;
                case "--freshness-seconds": o.FreshnessSeconds = PositiveDouble(arg, Value()); break;
                case "--freshness-rate": o.FreshnessRate = PositiveDouble(arg, Value()); break;
                case "--freshness-method":
                    o.FreshnessWatch = Value() switch
                    {
                        "watch" => true,
                        "poll" => false,
                        var m => throw new ArgumentException($"--freshness-method is watch or poll, not '{m}'"),
                    };
                    break;
                case "--postgres-seconds": o.PostgresSeconds = PositiveDouble(arg, Value()); break;
                case "--broker-count": o.BrokerCount = PositiveInt(arg, Value()); break;
                case "--drain-timeout": o.DrainTimeoutSeconds = PositiveDouble(arg, Value()); break;
                case "--shipments-url": o.ShipmentsUrl = Loopback(arg, Value()); break;
                case "--trade-url": o.TradeUrl = Loopback(arg, Value()); break;
                case "--amqp": o.Amqp = Loopback(arg, Value()); break;
                case "--management": o.Management = Loopback(arg, Value()); break;
                case "--uncached-trade-url": o.UncachedTradeUrl = Loopback(arg, Value()); break;
                case "--trade-database": o.TradeDatabase = Value(); break;
                case "--shipments-database": o.ShipmentsDatabase = Value(); break;
                case "--dimension-shipments": o.DimensionShipments = PositiveInt(arg, Value()); break;
                case "--dimension-concurrency": o.DimensionConcurrency = PositiveInt(arg, Value()); break;
                case "--backfill-rows":
                    var rows = Value();
                    o.BackfillRows = rows == "0" ? 0 : PositiveInt(arg, rows);
                    break;
                case "--cli": o.CliPath = Value(); break;
                case "--empty-shipments-url": o.EmptyShipmentsUrl = Loopback(arg, Value()); break;
                case "--empty-shipments-database": o.EmptyShipmentsDatabase = Value(); break;
                case "--scale-rows":
                    var stored = Value();
                    o.ScaleRows = stored == "0" ? 0 : PositiveInt(arg, stored);
                    break;
                case "--scale-seconds": o.ScaleSeconds = PositiveDouble(arg, Value()); break;
                case "--replay-create-rate": o.ReplayCreateRate = PositiveDouble(arg, Value()); break;
                case "--postgres": o.Postgres = Value(); break;
                case "--token": o.Token = Value(); break;
                case "--authority": o.Authority = Value(); break;
                case "--client-id": o.ClientId = Value(); break;
                case "--signing-key": o.SigningKey = Value(); break;
                case "--issuer": o.Issuer = Value(); break;
                case "--label": o.Label = Value(); break;
                case "--output": o.Output = Value(); break;
                case "--no-write": o.Output = null; break;
                case "--seed": o.Seed = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }
        if (o.Count > 1_000_000) throw new ArgumentException("--count is at most 1,000,000");
        if (o.Concurrency > 1_000 || o.DimensionConcurrency > 1_000) throw new ArgumentException("--concurrency and --dimension-concurrency are at most 1000");
        if (o.DimensionShipments > 10_000_000) throw new ArgumentException("--dimension-shipments is at most 10,000,000");
        if (o.QuerySeconds > 600 || o.FreshnessSeconds > 600 || o.PostgresSeconds > 600 || o.ScaleSeconds > 600 || o.DrainTimeoutSeconds > 3_600)
        {
            throw new ArgumentException("phase durations are at most 600 s (drain timeout 3600 s)");
        }
        var host = new Npgsql.NpgsqlConnectionStringBuilder(o.Postgres).Host ?? "localhost";
        if (!IsLoopbackHost(host)) throw new ArgumentException($"--postgres host {host} is not a loopback address");
        return o;
    }

    public int EffectiveBrokerCount => BrokerCount > 0 ? BrokerCount : Count;

    /// <summary><see cref="Postgres"/>, connected to Trade's database.</summary>
    public string TradeConnectionString => new Npgsql.NpgsqlConnectionStringBuilder(Postgres) { Database = TradeDatabase }.ConnectionString;

    /// <summary><see cref="Postgres"/>, connected to the second Shipments' database.</summary>
    public string EmptyShipmentsConnectionString => new Npgsql.NpgsqlConnectionStringBuilder(Postgres) { Database = EmptyShipmentsDatabase }.ConnectionString;

    /// <summary><see cref="Postgres"/>, connected to Shipments' database.</summary>
    public string ShipmentsConnectionString => new Npgsql.NpgsqlConnectionStringBuilder(Postgres) { Database = ShipmentsDatabase }.ConnectionString;

    private static int PositiveInt(string name, string value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v > 0
            ? v : throw new ArgumentException($"{name} must be a positive whole number, not '{value}'");

    private static double PositiveDouble(string name, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v > 0 && double.IsFinite(v)
            ? v : throw new ArgumentException($"{name} must be a positive number, not '{value}'");

    /// <summary>The benchmark only ever sends traffic to this machine.</summary>
    private static Uri Loopback(string name, string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri)) throw new ArgumentException($"{name}: '{value}' is not an absolute URL");
        if (!IsLoopbackHost(uri.Host)) throw new ArgumentException($"{name}: {uri.Host} is not a loopback address");
        return uri;
    }

    public static bool IsLoopbackHost(string host)
    {
        host = host.Trim('[', ']');
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase)) return true;
        return System.Net.IPAddress.TryParse(host, out var ip) && System.Net.IPAddress.IsLoopback(ip);
    }
}
