using System.Collections.Concurrent;
using EnergyTrade.Shipments.V1;
using Grpc.Core;

namespace EnergyTrade.FaultTests.Infrastructure;

/// <summary>
/// Drives CreateShipment like a real client would: every request carries a request_id and is retried
/// with that same id — after UNAVAILABLE, DEADLINE_EXCEEDED or a broken connection — until Shipments
/// acknowledges it. Every acknowledgement lands in the <see cref="Ledger"/>.
/// </summary>
public sealed class ShipmentLoad(ShipmentService.ShipmentServiceClient client, Ledger ledger)
{
    private long _acknowledged;
    private long _attempts;
    private long _retries;
    private long _mostAttempts;
    private long _longestTicks;
    private readonly ConcurrentDictionary<string, long> _failures = new();
    private readonly ConcurrentQueue<string> _unexpected = new();

    public TimeSpan AttemptDeadline { get; init; } = TimeSpan.FromSeconds(10);

    public long Acknowledged => Interlocked.Read(ref _acknowledged);
    public long Attempts => Interlocked.Read(ref _attempts);
    public long Retries => Interlocked.Read(ref _retries);

    /// <summary>The most attempts one call needed, and the longest one took from its first attempt to its answer.</summary>
    public long MostAttempts => Interlocked.Read(ref _mostAttempts);
    public TimeSpan LongestCall => TimeSpan.FromTicks(Interlocked.Read(ref _longestTicks));

    /// <summary>Failed attempts by status code (and transport error), all retried.</summary>
    public IReadOnlyDictionary<string, long> Failures => _failures;

    /// <summary>Answers no correct server gives (INTERNAL, ALREADY_EXISTS for a retried request_id …).</summary>
    public IReadOnlyCollection<string> Unexpected => _unexpected;

    public long FailuresOf(StatusCode code) => _failures.Where(f => f.Key.StartsWith(code.ToString(), StringComparison.Ordinal)).Sum(f => f.Value);

    public string Summary() =>
        $"{Acknowledged} acknowledged in {Attempts} attempts ({Retries} retries; failures: " +
        (_failures.IsEmpty ? "none" : string.Join(", ", _failures.OrderBy(f => f.Key).Select(f => $"{f.Key}×{f.Value}"))) + ")";

    /// <summary>
    /// Sends every request with up to <paramref name="concurrency"/> in flight, new requests starting at
    /// most <paramref name="perSecond"/> a second (unpaced when null); returns once each is acknowledged.
    /// </summary>
    public async Task RunAsync(IReadOnlyList<CreateShipmentRequest> requests, int concurrency, CancellationToken cancellationToken, double? perSecond = null)
    {
        var next = -1;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < requests.Count)
            {
                if (perSecond is { } rate)
                {
                    var due = TimeSpan.FromSeconds(i / rate) - clock.Elapsed;
                    if (due > TimeSpan.Zero) await Task.Delay(due, cancellationToken);
                }
                await CreateAsync(requests[i], cancellationToken);
            }
        });
        await Task.WhenAll(workers);
    }

    /// <summary>
    /// Keeps creating shipments — request i from <paramref name="make"/>(i) — at <paramref name="perSecond"/>
    /// until <paramref name="stopIssuing"/> is cancelled; then finishes (retrying) what is in flight and
    /// returns how many it issued. For loads that must straddle faults whatever the machine's speed.
    /// </summary>
    public async Task<int> RunUntilAsync(Func<int, CreateShipmentRequest> make, int concurrency, double perSecond,
        CancellationToken stopIssuing, CancellationToken cancellationToken)
    {
        var next = -1;
        var issued = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (!stopIssuing.IsCancellationRequested)
            {
                var i = Interlocked.Increment(ref next);
                var due = TimeSpan.FromSeconds(i / perSecond) - clock.Elapsed;
                if (due > TimeSpan.Zero)
                {
                    try
                    {
                        await Task.Delay(due, stopIssuing);
                    }
                    catch (OperationCanceledException) when (stopIssuing.IsCancellationRequested)
                    {
                        return;
                    }
                }
                Interlocked.Increment(ref issued);
                await CreateAsync(make(i), cancellationToken);
            }
        });
        await Task.WhenAll(workers);
        return issued;
    }

    public async Task<Shipment> CreateAsync(CreateShipmentRequest request, CancellationToken cancellationToken)
    {
        var reply = await RetryAsync(() => client.CreateShipmentAsync(request, Options(cancellationToken)).ResponseAsync, cancellationToken);
        ledger.Record(reply);
        Interlocked.Increment(ref _acknowledged);
        return reply;
    }

    /// <summary>
    /// Amends the quantity (and so barrels and tonnes) of a shipment to an absolute value: safe to retry.
    /// Null when the shipment was cancelled meanwhile (FAILED_PRECONDITION: nothing changed).
    /// </summary>
    public async Task<Shipment?> AmendAsync(string name, Quantity quantity, CancellationToken cancellationToken)
    {
        var request = new UpdateShipmentRequest
        {
            Shipment = new Shipment { Name = name, Quantity = quantity },
            UpdateMask = Google.Protobuf.WellKnownTypes.FieldMask.FromString("quantity"),
        };
        try
        {
            var reply = await RetryAsync(() => client.UpdateShipmentAsync(request, Options(cancellationToken)).ResponseAsync, cancellationToken,
                final: ex => ex.StatusCode == StatusCode.FailedPrecondition);
            ledger.Record(reply);
            return reply;
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.FailedPrecondition)
        {
            return null;
        }
    }

    public async Task<Shipment> CancelAsync(string name, CancellationToken cancellationToken)
    {
        var request = new CancelShipmentRequest { Name = name, Reason = "fault test" };
        var reply = await RetryAsync(() => client.CancelShipmentAsync(request, Options(cancellationToken)).ResponseAsync, cancellationToken);
        ledger.Record(reply);
        return reply;
    }

    /// <summary>Waits until at least <paramref name="count"/> shipments were acknowledged.</summary>
    public async Task WaitForAcknowledgedAsync(long count, CancellationToken cancellationToken)
    {
        while (Acknowledged < count) await Task.Delay(20, cancellationToken);
    }

    private CallOptions Options(CancellationToken cancellationToken) => new(deadline: DateTime.UtcNow + AttemptDeadline, cancellationToken: cancellationToken);

    private async Task<T> RetryAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken, Func<RpcException, bool>? final = null)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        for (var attempt = 1; ; attempt++)
        {
            Interlocked.Increment(ref _attempts);
            try
            {
                var answer = await call();
                RaiseTo(ref _mostAttempts, attempt);
                RaiseTo(ref _longestTicks, System.Diagnostics.Stopwatch.GetElapsedTime(started).Ticks);
                return answer;
            }
            catch (RpcException ex) when (!cancellationToken.IsCancellationRequested && final?.Invoke(ex) != true)
            {
                var key = ex.Status.DebugException is { } transport
                    ? $"{ex.StatusCode} ({transport.GetType().Name})"
                    : ex.StatusCode.ToString();
                _failures.AddOrUpdate(key, 1, (_, n) => n + 1);
                if (!Retriable(ex))
                {
                    // Recorded, and retried anyway so the load completes and the case reports everything;
                    // the case fails on any entry here.
                    if (_unexpected.Count < 50) _unexpected.Enqueue($"{ex.StatusCode}: {ex.Status.Detail}");
                }
                Interlocked.Increment(ref _retries);
                var delay = TimeSpan.FromMilliseconds(Math.Min(1000, 50 * (1 << Math.Min(attempt, 5))) * Random.Shared.Next(80, 121) / 100);
                await Task.Delay(delay, cancellationToken);
            }
        }
    }

    private static void RaiseTo(ref long field, long value)
    {
        for (var seen = Interlocked.Read(ref field); value > seen; seen = Interlocked.Read(ref field))
        {
            if (Interlocked.CompareExchange(ref field, value, seen) == seen) return;
        }
    }

    /// <summary>
    /// What a client retries with the same request_id: the server said it is unavailable or too slow,
    /// or the call never got a server's answer at all (connection refused or reset: a status made up
    /// by the client from a transport exception); ABORTED is a concurrency conflict worth re-trying,
    /// RESOURCE_EXHAUSTED a rate limit that asks for a pause.
    /// </summary>
    public static bool Retriable(RpcException ex) =>
        ex.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Aborted or StatusCode.ResourceExhausted
        || ex.Status.DebugException is not null;
}
