using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using EnergyTrade.Client.Reconciliation;
using EnergyTrade.Contracts;
using EnergyTrade.Shipments.V1;
using EnergyTrade.Testing;
using EnergyTrade.Trade.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace EnergyTrade.FaultTests.Infrastructure;

/// <summary>
/// Everything one fault case runs on, all its own: a RabbitMQ node and one or two PostgreSQL clusters
/// under <c>.run/fault-*</c>, and Shipments and Trade as separate processes on fixed ports (so a
/// restarted process is found where clients expect it). Disposing kills the processes and destroys
/// the nodes and their directory.
/// </summary>
public sealed class FaultCluster : IAsyncDisposable
{
    public const string ShipmentsDatabase = "energytrade_shipments";
    public const string TradeDatabase = "energytrade_trade";
    public const string TradeQueue = QueueNames.TradeShipmentEvents;
    public const string ErrorQueue = QueueNames.TradeShipmentEvents + "_error";
    public const string SkippedQueue = QueueNames.TradeShipmentEvents + "_skipped";

    private static readonly ConcurrentDictionary<string, bool> LiveDirectories = new();
    private readonly List<GrpcChannel> _channels = [];
    private readonly List<IAsyncDisposable> _owned = [];

    static FaultCluster()
    {
        // Should the test process exit with a case still running, its nodes must not outlive it.
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var directory in LiveDirectories.Keys) InfraScript.DestroyTreeNow(directory);
        };
    }

    private readonly RabbitNode? _rabbit;

    private FaultCluster(string directory, CaseLog log, RabbitNode? rabbit, RabbitCluster? broker, PostgresNode shipmentsPg, PostgresNode tradePg, int replicas)
    {
        Directory = directory;
        Log = log;
        _rabbit = rabbit;
        Broker = broker;
        ShipmentsPg = shipmentsPg;
        TradePg = tradePg;
        Shipments = new ServiceSlot("Shipments", this);
        Trade = new ServiceSlot("Trade", this);
        if (replicas > 1)
        {
            // Two of each behind HAProxy (scripts/lib/haproxy.sh), as scripts/up.sh --ha runs them:
            // clients call one address per service and the balancer picks a replica that is ready.
            ExtraShipmentsSlots.Add(new ServiceSlot("Shipments2", this));
            AddTradeSlot();
            ShipmentsBalancerPort = InfraScript.FreePort();
            TradeBalancerPort = InfraScript.FreePort();
        }
        Metrics = new TradeMetrics(() => TradeSlots.SelectMany(s => s.Current is { HasExited: false } p ? [p] : Array.Empty<ServiceProcess>()));
        ShipmentsClient = new ShipmentService.ShipmentServiceClient(ShipmentsBalancerPort is { } sp ? Shipments.ChannelTo(sp) : Shipments.Channel);
        TradeClient = new TradeService.TradeServiceClient(TradeBalancerPort is { } tp ? Trade.ChannelTo(tp) : Trade.Channel);
        Ledger = new Ledger();
        Load = new ShipmentLoad(ShipmentsClient, Ledger);
    }

    public string Directory { get; }
    public CaseLog Log { get; }
    /// <summary>The case's RabbitMQ node; with a cluster, a running node of it (each sees the whole cluster).</summary>
    public RabbitNode Rabbit => Broker?.AnyRunning() ?? _rabbit!;
    /// <summary>The case's three-node cluster, when it asked for one instead of a single node.</summary>
    public RabbitCluster? Broker { get; }
    public PostgresNode ShipmentsPg { get; private set; }
    /// <summary>The same node as <see cref="ShipmentsPg"/> unless the case asked for separate ones.</summary>
    public PostgresNode TradePg { get; }
    public ServiceSlot Shipments { get; }
    public ServiceSlot Trade { get; }
    public List<ServiceSlot> ExtraTradeSlots { get; } = [];
    public IEnumerable<ServiceSlot> TradeSlots => ExtraTradeSlots.Prepend(Trade);
    public List<ServiceSlot> ExtraShipmentsSlots { get; } = [];
    public IEnumerable<ServiceSlot> ShipmentsSlots => ExtraShipmentsSlots.Prepend(Shipments);
    /// <summary>Where the balancers in front of the replicas listen, when the case runs two of each.</summary>
    public int? ShipmentsBalancerPort { get; }
    public int? TradeBalancerPort { get; }
    public TradeMetrics Metrics { get; }
    public ShipmentService.ShipmentServiceClient ShipmentsClient { get; }
    public TradeService.TradeServiceClient TradeClient { get; }
    public Ledger Ledger { get; }
    public ShipmentLoad Load { get; }
    /// <summary>Set to route Shipments' AMQP connection through a proxy the case can cut.</summary>
    public TcpProxy? ShipmentsRabbitProxy { get; private set; }

    /// <summary>Starts the nodes (in parallel) under a fresh directory; services are started by the case.</summary>
    public static async Task<FaultCluster> StartAsync(CaseLog log, bool separateDatabases, CancellationToken cancellationToken, bool clusteredBroker = false,
        int replicas = 1, bool replicatedDatabase = false)
    {
        var root = Path.Combine(ServiceProcess.RepositoryRoot(), ".run");
        await SweepOrphansAsync(root, log);
        var directory = Path.Combine(root, $"fault-{log.CaseName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}");
        System.IO.Directory.CreateDirectory(directory);
        LiveDirectories[directory] = true;
        var clock = Stopwatch.StartNew();
        try
        {
            var rabbit = clusteredBroker ? Task.FromResult<RabbitNode?>(null) : StartNodeAsync(Path.Combine(directory, "rabbit"), cancellationToken);
            var broker = clusteredBroker ? StartBrokerAsync(Path.Combine(directory, "rabbit"), cancellationToken) : Task.FromResult<RabbitCluster?>(null);
            var shipmentsPg = replicatedDatabase
                ? PostgresNode.StartFormationAsync(Path.Combine(directory, "pg"), cancellationToken)
                : PostgresNode.StartAsync(Path.Combine(directory, separateDatabases ? "pg-shipments" : "pg"), cancellationToken);
            var tradePg = separateDatabases ? PostgresNode.StartAsync(Path.Combine(directory, "pg-trade"), cancellationToken) : shipmentsPg;
            await Task.WhenAll(rabbit, broker, shipmentsPg, tradePg);
            var cluster = new FaultCluster(directory, log, rabbit.Result, broker.Result, shipmentsPg.Result, tradePg.Result, replicas);
            if (replicas > 1) await cluster.StartBalancersAsync(cancellationToken);
            var databases = separateDatabases ? $" (Shipments) and 127.0.0.1:{tradePg.Result.Port} (Trade)"
                : replicatedDatabase ? $" (the monitor of a formation of two data nodes, {shipmentsPg.Result.DataPort(1)} and {shipmentsPg.Result.DataPort(2)}; both databases)"
                : " (both databases)";
            var brokerText = broker.Result is { } b ? $"a RabbitMQ cluster at {b.ClusterNodes}" : $"RabbitMQ 127.0.0.1:{rabbit.Result!.Port}";
            log.Line(string.Create(CultureInfo.InvariantCulture,
                $"nodes up in {clock.Elapsed.TotalSeconds:F1}s under {directory}: {brokerText}, PostgreSQL 127.0.0.1:{shipmentsPg.Result.Port}{databases}"));
            return cluster;
        }
        catch
        {
            await InfraScript.DestroyTreeAsync(directory);
            LiveDirectories.TryRemove(directory, out _);
            throw;
        }
    }

    private static async Task<RabbitNode?> StartNodeAsync(string directory, CancellationToken cancellationToken) =>
        await RabbitNode.StartAsync(directory, cancellationToken);

    private static async Task<RabbitCluster?> StartBrokerAsync(string directory, CancellationToken cancellationToken) =>
        await RabbitCluster.StartAsync(directory, cancellationToken);

    /// <summary>Shipments' database is on <paramref name="server"/> from now on (a restore into a new server): for the services started after, and for the case's observations.</summary>
    public void MoveShipmentsDatabase(PostgresNode server) => ShipmentsPg = server;

    public ServiceSlot AddTradeSlot()
    {
        var slot = new ServiceSlot($"Trade{ExtraTradeSlots.Count + 2}", this);
        ExtraTradeSlots.Add(slot);
        return slot;
    }

    public TcpProxy ProxyShipmentsRabbit()
    {
        ShipmentsRabbitProxy = new TcpProxy("127.0.0.1", Rabbit.Port);
        _owned.Add(ShipmentsRabbitProxy);
        return ShipmentsRabbitProxy;
    }

    public Dictionary<string, string> ShipmentsEnvironment() => new()
    {
        ["ConnectionStrings__Shipments"] = ShipmentsPg.ConnectionString(ShipmentsDatabase),
        ["ConnectionStrings__RabbitMq"] = $"amqp://{InfraScript.User}:{InfraScript.Password}@{(ShipmentsRabbitProxy is null ? Rabbit.Host : "127.0.0.1")}:{ShipmentsRabbitProxy?.Port ?? Rabbit.Port}/",
        ["Messaging__ClusterNodes"] = Broker?.ClusterNodes ?? "",
        ["Outbox__PublishTimeout"] = "00:00:03",
        ["Outbox__MaxRetryDelay"] = "00:00:02",
        // The per-caller write limit protects production from one runaway client; the cases are that client on purpose.
        ["RateLimiting__WritesPerSecond"] = "1000000",
        ["RateLimiting__WriteBurst"] = "1000000",
        ["Logging__LogLevel__Default"] = "Warning",
        ["Logging__LogLevel__MassTransit"] = "Warning",
    };

    public Dictionary<string, string> TradeEnvironment() => new()
    {
        ["ConnectionStrings__Trade"] = TradePg.ConnectionString(TradeDatabase),
        ["ConnectionStrings__RabbitMq"] = Rabbit.AmqpUri.ToString(),
        ["Messaging__ClusterNodes"] = Broker?.ClusterNodes ?? "",
        ["Logging__LogLevel__Default"] = "Warning",
        ["Logging__LogLevel__MassTransit"] = "Warning",
    };

    public Task<ServiceProcess> StartShipmentsAsync(IReadOnlyDictionary<string, string>? extra = null, bool waitReady = true, ServiceSlot? slot = null) =>
        (slot ?? Shipments).StartAsync(With(ShipmentsEnvironment(), extra), waitReady, waitForConsumer: false);

    private string BalancerDirectory => Path.Combine(Directory, "lb");

    private async Task StartBalancersAsync(CancellationToken cancellationToken)
    {
        await StartBalancerAsync("shipments", cancellationToken);
        await StartBalancerAsync("trade", cancellationToken);
        Log.Line($"balancers: Shipments 127.0.0.1:{ShipmentsBalancerPort} and Trade 127.0.0.1:{TradeBalancerPort}, over two replicas each");
    }

    private Task StartBalancerAsync(string name, CancellationToken cancellationToken)
    {
        var (port, slots) = name == "shipments" ? (ShipmentsBalancerPort!.Value, ShipmentsSlots) : (TradeBalancerPort!.Value, TradeSlots);
        return InfraScript.RunAsync("infra_start_grpc_balancer",
            [BalancerDirectory, name, port.ToString(CultureInfo.InvariantCulture), .. slots.Select(s => $"{s.GrpcPort}/{s.HttpPort}")],
            TimeSpan.FromSeconds(60), cancellationToken);
    }

    /// <summary>Stops the balancer of <paramref name="name"/> (shipments or trade) and starts it again on its port.</summary>
    public async Task RestartBalancerAsync(string name, CancellationToken cancellationToken)
    {
        await InfraScript.RunAsync("infra_stop_grpc_balancer", [BalancerDirectory, name], TimeSpan.FromSeconds(30), cancellationToken);
        await StartBalancerAsync(name, cancellationToken);
    }

    /// <param name="testHost">Run Trade through tests/EnergyTrade.Trade.TestHost, which adds the crash hook <c>FaultInjection:CrashAfterCommit</c>.</param>
    public Task<ServiceProcess> StartTradeAsync(IReadOnlyDictionary<string, string>? extra = null, bool waitReady = true, ServiceSlot? slot = null,
        bool testHost = false) =>
        (slot ?? Trade).StartAsync(With(TradeEnvironment(), extra), waitReady, waitForConsumer: waitReady, testHost);

    internal static Dictionary<string, string> With(Dictionary<string, string> environment, IReadOnlyDictionary<string, string>? extra)
    {
        foreach (var (key, value) in extra ?? new Dictionary<string, string>()) environment[key] = value;
        return environment;
    }

    // ------------------------------------------------------------------ observations

    public Task<long> OutboxUnsentAsync(CancellationToken cancellationToken = default) =>
        ShipmentsPg.ScalarAsync<long>(ShipmentsDatabase, "SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL", cancellationToken);

    public Task<long> OutboxRowsAsync(CancellationToken cancellationToken = default) =>
        ShipmentsPg.ScalarAsync<long>(ShipmentsDatabase, "SELECT count(*) FROM outbox_messages", cancellationToken);

    public Task<long> ShipmentRowsAsync(CancellationToken cancellationToken = default) =>
        ShipmentsPg.ScalarAsync<long>(ShipmentsDatabase, "SELECT count(*) FROM shipments", cancellationToken);

    public Task<long> AppliedShipmentsAsync(CancellationToken cancellationToken = default) =>
        TradePg.ScalarAsync<long>(TradeDatabase, "SELECT count(*) FROM applied_shipments WHERE version > 0", cancellationToken);

    public async Task<long> QueueDepthAsync(string queue, CancellationToken cancellationToken = default) =>
        (await Rabbit.QueueAsync(queue, cancellationToken))?.Total ?? 0;

    /// <summary>
    /// Every figure Trade answers for the case's pairs — over 2021, per month and over all time, in
    /// both directions and by origin — compared with the ledger (the client's, unless another is given).
    /// Empty when Trade is exact.
    /// </summary>
    public async Task<List<string>> DifferencesAsync(CancellationToken cancellationToken, Ledger? against = null)
    {
        var ledger = against ?? Ledger;
        var differences = new List<string>();
        var ranges = new List<(DateOnly? First, DateOnly? Last, string Label)> { (null, null, "all months"), (Cargoes.FirstMonth, Cargoes.LastMonth, "2021-01..04") };
        for (var m = Cargoes.FirstMonth; m <= Cargoes.LastMonth; m = m.AddMonths(1)) ranges.Add((m, m, m.ToString("yyyy-MM", CultureInfo.InvariantCulture)));
        foreach (var (country, partner) in Cargoes.Pairs)
        {
            foreach (var (first, last, label) in ranges)
            {
                var request = new GetBilateralTotalsRequest { Country = country, Partner = partner };
                if (first is { } f) request.FirstMonth = Cargoes.Month(f);
                if (last is { } l) request.LastMonth = Cargoes.Month(l);
                var totals = await TradeClient.GetBilateralTotalsAsync(request, new CallOptions(deadline: DateTime.UtcNow.AddSeconds(10), cancellationToken: cancellationToken));
                Compare(differences, $"{label} {country}→{partner}", ledger.Flow(country, partner, first, last), totals.Exports);
                Compare(differences, $"{label} {partner}→{country}", ledger.Flow(partner, country, first, last), totals.Imports);
            }
        }
        return differences;
    }

    private static void Compare(List<string> differences, string what, ExpectedFlow expected, FlowTotals actual)
    {
        void Check(string measure, decimal e, decimal a)
        {
            if (e != a) differences.Add(string.Create(CultureInfo.InvariantCulture, $"{what} {measure}: acknowledged {e}, Trade {a}"));
        }
        Check("shipments", expected.ShipmentCount, actual.ShipmentCount);
        Check("barrels", expected.Barrels, Ledger.Dec(actual.Barrels));
        Check("tonnes", expected.Tonnes, Ledger.Dec(actual.Tonnes));
        Check("value_usd", expected.ValueUsd, actual.Value is null ? 0 : Ledger.Usd(actual.Value));
        Check("valued_shipments", expected.ValuedShipmentCount, actual.ValuedShipmentCount);
        var byOrigin = actual.ByOrigin.ToDictionary(o => o.OriginCountry);
        foreach (var (origin, e) in expected.ByOrigin)
        {
            var a = byOrigin.GetValueOrDefault(origin);
            Check($"origin {origin} shipments", e.Count, a?.ShipmentCount ?? 0);
            Check($"origin {origin} barrels", e.Barrels, a is null ? 0 : Ledger.Dec(a.Barrels));
            Check($"origin {origin} tonnes", e.Tonnes, a is null ? 0 : Ledger.Dec(a.Tonnes));
            Check($"origin {origin} value_usd", e.ValueUsd, a?.Value is null ? 0 : Ledger.Usd(a.Value));
        }
        foreach (var extra in actual.ByOrigin.Where(o => !expected.ByOrigin.ContainsKey(o.OriginCountry)))
        {
            differences.Add($"{what} origin {extra.OriginCountry}: not acknowledged at all, Trade has {extra.ShipmentCount} shipments");
        }
    }

    /// <summary>
    /// The state the system must settle in once faults are healed: the outbox empty, Trade's queue
    /// empty, and Trade's totals equal to the ledger. Returns how long that took; fails with the last
    /// observation when it does not happen in time.
    /// </summary>
    public async Task<TimeSpan> WaitForQuietAsync(TimeSpan timeout, CancellationToken cancellationToken, Ledger? against = null)
    {
        var clock = Stopwatch.StartNew();
        var last = "nothing observed yet";
        while (true)
        {
            try
            {
                var unsent = await OutboxUnsentAsync(cancellationToken);
                var queue = await Rabbit.QueueAsync(TradeQueue, cancellationToken);
                var passive = await Rabbit.DeclarePassiveAsync(TradeQueue, cancellationToken);
                var differences = unsent == 0 && queue?.Total == 0 && passive?.Ready == 0 ? await DifferencesAsync(cancellationToken, against) : null;
                last = $"outbox unsent {unsent}, Trade queue {queue?.Ready} ready + {queue?.Unacknowledged} unacked (passive: {passive?.Ready}), " +
                    (differences is null ? "totals not compared yet" : $"{differences.Count} differing figures{(differences.Count > 0 ? ", first: " + differences[0] : "")}");
                if (differences is { Count: 0 }) return clock.Elapsed;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                last = $"{ex.GetType().Name}: {ex.Message}";
            }
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"The system did not settle within {timeout.TotalSeconds:F0}s. Last observed: {last}");
            }
            await Task.Delay(250, cancellationToken);
        }
    }

    /// <summary>
    /// The final verdict: the invariant and everything around it, asserted, with the figures printed.
    /// <paramref name="expectedPoison"/> are the message ids the case itself put into _error.
    /// </summary>
    public async Task AssertInvariantAsync(CancellationToken cancellationToken, IReadOnlyCollection<string>? expectedPoison = null)
    {
        foreach (var slot in TradeSlots)
        {
            if (slot.Current is { HasExited: false } process) await Metrics.ScrapeAsync(process, cancellationToken);
        }
        var differences = await DifferencesAsync(cancellationToken);
        Assert.True(differences.Count == 0, $"Trade's totals differ from the acknowledged shipments in {differences.Count} figures:\n  " + string.Join("\n  ", differences.Take(30)));

        // Every acknowledged request is one shipment, and retries never made a second one.
        var rows = await ShipmentRowsAsync(cancellationToken);
        Assert.Equal(Ledger.Count, rows);
        Assert.Equal(0, await OutboxUnsentAsync(cancellationToken));
        Assert.Equal(0L, (long)((await Rabbit.DeclarePassiveAsync(TradeQueue, cancellationToken))?.Ready ?? 0));
        var applied = await AppliedShipmentsAsync(cancellationToken);
        Assert.Equal(Ledger.Count, applied);

        var error = await Rabbit.PeekAllAsync(ErrorQueue, cancellationToken);
        var poison = expectedPoison ?? [];
        Assert.True(error.Count == poison.Count,
            $"_error holds {error.Count} messages, the case injected {poison.Count} poison messages:\n  " +
            string.Join("\n  ", error.Take(10).Select(m => $"{m.MessageId}: {m.Header("MT-Fault-ExceptionType")}: {m.Header("MT-Fault-Message")}")));
        Assert.Equal(poison.OrderBy(p => p), error.Select(m => m.MessageId ?? "").OrderBy(p => p));
        Assert.Null(await Rabbit.DeclarePassiveAsync(SkippedQueue, cancellationToken));
        Assert.True(Load.Unexpected.Count == 0, "answers no client should get: " + string.Join(" | ", Load.Unexpected.Take(5)));

        await ReconcileAsync(cancellationToken);

        var outboxRows = await OutboxRowsAsync(cancellationToken);
        var queue = await Rabbit.QueueAsync(TradeQueue, cancellationToken);
        Log.Figure("acknowledged shipments", $"{Ledger.Count} ({Ledger.Replies} acknowledging replies)");
        Log.Figure("events written to the outbox", $"{outboxRows}");
        Log.Figure("broker messages to Trade's queue (since the broker last started)", $"published {queue?.Published}, redelivered {queue?.Redelivered}, acknowledged {queue?.Acknowledged}");
        Log.Figure("shipments in Trade (applied_shipments)", $"{applied}");
        Log.Figure("Trade counters (sampled, lower bounds after SIGKILL)", $"{(Metrics.Available ? Metrics.Total.ToString() : "not exported by this build")}");
        Log.Figure("_error", $"{error.Count} (expected {poison.Count})");
        Log.Figure("client", $"{Load.Summary()}");
    }

    /// <summary>tools/EnergyTrade.Client's Reconciler: Trade against Shipments' own sums, every pair.</summary>
    public async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        var reconciler = new Reconciler(ShipmentsClient, TradeClient);
        var reports = new List<ReconciliationReport>();
        try
        {
            foreach (var (country, partner) in Cargoes.Pairs)
            {
                reports.Add(await reconciler.ReconcileAsync(country, partner, cancellationToken: cancellationToken));
                reports.Add(await reconciler.ReconcileAsync(country, partner, Cargoes.FirstMonth, Cargoes.LastMonth, cancellationToken: cancellationToken));
            }
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Unimplemented)
        {
            // The reconciler needs Trade's GetTradeSeries; say so rather than fail on a missing feature.
            Log.Figure("reconciler", $"not run: {ex.Status.Detail} (Trade does not implement an RPC the Reconciler needs)");
            return;
        }
        var disagreeing = reports.Where(r => !r.Agrees).ToList();
        Assert.True(disagreeing.Count == 0, "Reconciler: " + string.Join("\n", disagreeing));
        Log.Figure("reconciler", $"{reports.Count} reconciliations agree");
    }

    public async Task<HttpStatusCode> ReadyStatusAsync(ServiceProcess process, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var response = await http.GetAsync(new Uri(process.HttpUrl, "/health/ready"), cancellationToken);
        return response.StatusCode;
    }

    public async ValueTask DisposeAsync()
    {
        await Metrics.DisposeAsync();
        foreach (var slot in TradeSlots.Concat(ShipmentsSlots)) await slot.DisposeAsync();
        foreach (var channel in _channels) channel.Dispose();
        foreach (var owned in _owned) await owned.DisposeAsync();
        _rabbit?.Dispose();
        Broker?.Dispose();
        try
        {
            await InfraScript.DestroyTreeAsync(Directory);
            // A node left running would keep recreating files here and live on: make sure, loudly.
            var survivors = RunningNodes(Directory);
            if (survivors.Count > 0) throw new InvalidOperationException($"Processes of {Directory} survived its teardown: pids {string.Join(", ", survivors)}");
        }
        finally
        {
            LiveDirectories.TryRemove(Directory, out _);
        }
    }

    /// <summary>
    /// Destroys the nodes of earlier runs whose test process is gone without tearing them down (killed,
    /// or timed out in CI): directories named fault-CASE-PID-XXXXXX whose PID no longer runs.
    /// </summary>
    private static async Task SweepOrphansAsync(string root, CaseLog log)
    {
        if (!System.IO.Directory.Exists(root)) return;
        foreach (var directory in System.IO.Directory.EnumerateDirectories(root, "fault-*"))
        {
            var parts = Path.GetFileName(directory).Split('-');
            if (parts.Length < 3 || !int.TryParse(parts[^2], out var owner) || owner == Environment.ProcessId || ProcessSignals.IsAlive(owner)) continue;
            log.Line($"removing {directory}, left behind by test process {owner}");
            await InfraScript.DestroyTreeAsync(directory);
        }
    }

    /// <summary>Pids of RabbitMQ (beam) and PostgreSQL processes whose command line names a path under <paramref name="directory"/>.</summary>
    public static List<int> RunningNodes(string directory)
    {
        var pids = new List<int>();
        foreach (var entry in System.IO.Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(entry), out var pid)) continue;
            try
            {
                var commandLine = File.ReadAllText(Path.Combine(entry, "cmdline")).Replace('\0', ' ');
                if (commandLine.Contains(directory + "/", StringComparison.Ordinal) && ProcessSignals.IsAlive(pid)) pids.Add(pid);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
        return pids;
    }

    /// <summary>One service's place in the cluster: fixed ports, the process currently there, and those before it.</summary>
    public sealed class ServiceSlot : IAsyncDisposable
    {
        private readonly FaultCluster _cluster;
        private readonly int _grpcPort = InfraScript.FreePort();
        private readonly int _httpPort = InfraScript.FreePort();
        private readonly CallCredentials _bearer;

        internal ServiceSlot(string name, FaultCluster cluster)
        {
            Name = name;
            _cluster = cluster;
            // Calls carry a bearer token the services trust in tests (ServiceProcess configures them for TestAuth).
            var token = TestAuth.Token(lifetime: TimeSpan.FromHours(2));
            _bearer = CallCredentials.FromInterceptor((_, metadata) =>
            {
                metadata.Add("Authorization", $"Bearer {token}");
                return Task.CompletedTask;
            });
            Channel = ChannelTo(_grpcPort);
        }

        public string Name { get; }
        public GrpcChannel Channel { get; }
        public int GrpcPort => _grpcPort;
        public int HttpPort => _httpPort;

        /// <summary>A channel to a port on this machine (this slot's, or a balancer's) whose calls carry the slot's token.</summary>
        internal GrpcChannel ChannelTo(int port)
        {
            var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}", new GrpcChannelOptions
            {
                Credentials = ChannelCredentials.Create(ChannelCredentials.Insecure, _bearer),
                UnsafeUseInsecureChannelCallCredentials = true,
                HttpHandler = new SocketsHttpHandler
                {
                    ConnectTimeout = TimeSpan.FromSeconds(3),
                    EnableMultipleHttp2Connections = true,
                    PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
                },
            });
            _cluster._channels.Add(channel);
            return channel;
        }
        public ServiceProcess? Current { get; private set; }
        public List<ServiceProcess> History { get; } = [];
        private string ServiceName => Name.StartsWith("Trade", StringComparison.Ordinal) ? "Trade" : "Shipments";

        public async Task<ServiceProcess> StartAsync(IReadOnlyDictionary<string, string> environment, bool waitReady, bool waitForConsumer, bool testHost = false)
        {
            if (Current is { HasExited: false }) throw new InvalidOperationException($"{Name} is still running (pid {Current.Pid}).");
            var clock = Stopwatch.StartNew();
            var process = ServiceProcess.Start(ServiceName, environment, _grpcPort, _httpPort, testHost: testHost);
            Current = process;
            History.Add(process);
            // ServiceProcess's own limit (180 s): on a slow CI day restarted replicas took 32–55 s and one missed 90 s.
            if (waitReady) await process.WaitReadyAsync();
            if (waitForConsumer)
            {
                await Eventually.MatchAsync(() => _cluster.Rabbit.DeclarePassiveAsync(TradeQueue), q => q is { Consumers: > 0 },
                    TimeSpan.FromSeconds(60), $"{Name}'s consumer on {TradeQueue}");
            }
            _cluster.Log.Line(string.Create(CultureInfo.InvariantCulture,
                $"{Name} started (pid {process.Pid}){(waitReady ? $", ready in {clock.Elapsed.TotalSeconds:F1}s" : "")}"));
            return process;
        }

        /// <summary>SIGKILL: no shutdown code runs. Reads the process's counters first unless the kill must not wait.</summary>
        public async Task KillAsync(bool scrapeFirst = true)
        {
            if (Current is not { HasExited: false } process) return;
            if (scrapeFirst) await _cluster.Metrics.ScrapeAsync(process);
            await process.KillAsync();
            _cluster.Log.Line($"{Name} (pid {process.Pid}) killed with SIGKILL");
        }

        /// <summary>SIGTERM and a graceful exit; returns the exit code.</summary>
        public async Task<int?> StopAsync(TimeSpan? timeout = null)
        {
            if (Current is not { HasExited: false } process) return Current?.ExitCode;
            await _cluster.Metrics.ScrapeAsync(process);
            var clock = Stopwatch.StartNew();
            await process.StopAsync(timeout ?? TimeSpan.FromSeconds(45));
            _cluster.Log.Line(string.Create(CultureInfo.InvariantCulture,
                $"{Name} (pid {process.Pid}) stopped by SIGTERM in {clock.Elapsed.TotalSeconds:F1}s, exit code {process.ExitCode}"));
            return process.ExitCode;
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var process in History) await process.DisposeAsync();
        }
    }
}
