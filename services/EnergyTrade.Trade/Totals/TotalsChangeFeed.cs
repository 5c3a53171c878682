using EnergyTrade.Persistence;
using EnergyTrade.ServiceDefaults;
using System.Threading.Channels;
using Npgsql;

namespace EnergyTrade.Trade.Totals;

/// <summary>
/// Listens on one dedicated PostgreSQL connection for the notifications TotalsApplier sends on
/// commit — from this replica or any other — and wakes the watchers they concern. One connection
/// per process, not per watch, so a thousand open watches cost one backend.
/// </summary>
public sealed partial class TotalsChangeFeed(NpgsqlDataSource dataSource, TimeProvider time, ILogger<TotalsChangeFeed> logger) : BackgroundService
{
    /// <summary>
    /// A silently dropped TCP connection would leave WaitAsync waiting forever; after this long without
    /// a notification the connection is exercised so a dead one fails and is replaced.
    /// </summary>
    private static readonly TimeSpan IdleCheck = TimeSpan.FromSeconds(30);
    /// <summary>
    /// Watchers fall back to reading on a timer while not listening; a failover of a replicated
    /// PostgreSQL takes ~15 s, so reconnecting is tried at least every 5 s to be back soon after.
    /// </summary>
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(5);

    private readonly Lock _gate = new();
    // Copy on write: Publish runs on Npgsql's reading thread and walks a snapshot without locking.
    private volatile Subscription[] _subscriptions = [];
    private Action<TotalsChange>? _beforeWake;
    private volatile bool _listening;
    private long _epoch;

    /// <summary>
    /// Whether notifications are being received right now. While not, nothing may rely on them: a
    /// change committed meanwhile would go unnoticed until the next reconnect.
    /// </summary>
    public bool IsListening => _listening;

    /// <summary>
    /// Changes every time listening stops or starts. Something read while listening under one epoch
    /// may be kept only while the epoch is the same: a change committed across a reconnect was never
    /// notified. Read it before <see cref="IsListening"/>.
    /// </summary>
    public long Epoch => Interlocked.Read(ref _epoch);

    /// <summary>
    /// Runs <paramref name="handler"/> with every change (and with <see cref="TotalsChange.Everything"/>
    /// whenever listening stops or starts again) before any watcher wakes, so that what a woken
    /// watcher reads already reflects it. Called on Npgsql's reading thread: it must not block.
    /// </summary>
    public void OnChange(Action<TotalsChange> handler)
    {
        lock (_gate) _beforeWake += handler;
    }

    /// <summary>
    /// Registers interest in changes for which <paramref name="concerns"/> holds. Subscribe before
    /// reading the current totals: a change committed in between then still wakes the watcher.
    /// </summary>
    public Subscription Subscribe(Func<TotalsChange, bool> concerns)
    {
        var subscription = new Subscription(this, concerns);
        lock (_gate) _subscriptions = [.. _subscriptions, subscription];
        return subscription;
    }

    private void Unsubscribe(Subscription subscription)
    {
        lock (_gate) _subscriptions = _subscriptions.Where(s => s != subscription).ToArray();
    }

    /// <summary>Wakes the concerned subscribers. Called on Npgsql's reading thread, so it never blocks.</summary>
    internal void Publish(TotalsChange change)
    {
        _beforeWake?.Invoke(change);
        foreach (var subscription in _subscriptions)
        {
            if (change.IsEverything || subscription.Concerns(change)) subscription.Wake();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        var connect = BackgroundRetry.Create(MaxRetryDelay, time, (ex, attempt, delay) =>
        {
            failures = attempt;
            LogFailed(ex, attempt, delay);
        });
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await connect.ExecuteAsync(ConnectAsync, stoppingToken);
                if (failures > 0) LogReconnected(failures);
                failures = 0;
                while (true)
                {
                    if (!await connection.WaitAsync(IdleCheck, stoppingToken))
                    {
                        await ListenAsync(connection, stoppingToken);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                StopListening();
                return;
            }
            catch (Exception ex)
            {
                // The connection broke: reconnect at once, then back off if that fails too.
                StopListening();
                LogLost(ex);
            }
        }
    }

    /// <summary>
    /// Opens the dedicated connection and starts listening. Whatever committed before LISTEN took
    /// effect — while disconnected, or before the first connection while early watchers were already
    /// reading — was never notified here: everything is dropped and every watcher woken before
    /// anything may rely on notifications again.
    /// </summary>
    private async ValueTask<NpgsqlConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            connection.Notification += (_, e) => Publish(TotalsChange.Parse(e.Payload));
            await ListenAsync(connection, cancellationToken);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        Interlocked.Increment(ref _epoch);
        Publish(TotalsChange.Everything);
        _listening = true;
        return connection;
    }

    private void StopListening()
    {
        _listening = false;
        Interlocked.Increment(ref _epoch);
        _beforeWake?.Invoke(TotalsChange.Everything);
    }

    /// <summary>LISTEN is idempotent, so the same statement also serves as the liveness check.</summary>
    private static async Task ListenAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var listen = new NpgsqlCommand($"LISTEN {TotalsChange.Channel}", connection);
        await listen.ExecuteNonQueryAsync(cancellationToken);
    }

    [LoggerMessage(LogLevel.Warning, "Listening for totals changes failed (attempt {Failures}); retrying in {Delay}. Watch streams fall back to their periodic re-check until then")]
    private partial void LogFailed(Exception exception, int failures, TimeSpan delay);

    [LoggerMessage(LogLevel.Warning, "The connection listening for totals changes was lost; reconnecting. Until then every read goes to PostgreSQL")]
    private partial void LogLost(Exception exception);

    [LoggerMessage(LogLevel.Information, "Listening for totals changes again after {Failures} failed attempts; every watch re-reads its totals")]
    private partial void LogReconnected(int failures);

    /// <summary>
    /// One watcher's wake-up signal. Bounded to one pending signal, latest wins: a watcher that is
    /// busy re-reading needs to know only that it must re-read once more, not how often.
    /// </summary>
    public sealed class Subscription : IDisposable
    {
        private readonly TotalsChangeFeed _feed;
        private readonly Func<TotalsChange, bool> _concerns;
        private readonly Channel<bool> _signal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });

        internal Subscription(TotalsChangeFeed feed, Func<TotalsChange, bool> concerns)
        {
            _feed = feed;
            _concerns = concerns;
        }

        internal bool Concerns(TotalsChange change) => _concerns(change);

        internal void Wake() => _signal.Writer.TryWrite(true);

        /// <summary>
        /// True when a concerning change was notified since the last call; false when the timeout
        /// passed or <paramref name="cancellationToken"/> was cancelled. Cancellation does not throw:
        /// every watch ends by its client going away, and at thousands of watches a second the
        /// exceptions would cost more than the watching.
        /// </summary>
        public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
        {
            if (_signal.Reader.TryRead(out _)) return true;
            using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timer.CancelAfter(timeout);
            var read = _signal.Reader.ReadAsync(timer.Token).AsTask();
            await ((Task)read).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            return read.IsCompletedSuccessfully;
        }

        public void Dispose() => _feed.Unsubscribe(this);
    }
}
