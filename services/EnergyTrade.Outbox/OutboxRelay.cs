using EnergyTrade.Persistence;
using EnergyTrade.ServiceDefaults;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EnergyTrade.Outbox;

/// <summary>
/// Publishes committed outbox rows to RabbitMQ and marks them sent once the broker has confirmed
/// them. Rows are claimed with FOR UPDATE SKIP LOCKED, so several replicas can relay side by side
/// without publishing the same row at the same time. A crash between publish and marking re-sends
/// the row later with the same message id: delivery is at least once, and Trade absorbs repeats.
/// </summary>
public sealed partial class OutboxRelay<TContext>(
    IServiceScopeFactory scopes,
    IBus bus,
    OutboxMessageTypes types,
    OutboxSignal signal,
    OutboxMetrics metrics,
    IOptions<OutboxOptions> options,
    TimeProvider time,
    ILogger<OutboxRelay<TContext>> logger) : BackgroundService where TContext : DbContext
{
    private readonly OutboxOptions _options = options.Value;
    private DateTimeOffset _nextCleanup;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        var retry = BackgroundRetry.Create(_options.MaxRetryDelay, time, (ex, attempt, delay) =>
        {
            failures = attempt;
            LogPublishFailed(ex, attempt, delay);
        });
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await retry.ExecuteAsync(RoundAsync, stoppingToken);
                if (failures > 0)
                {
                    LogRecovered(failures);
                    failures = 0;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// One round: the backlog gauges (kept fresh also while RabbitMQ is away, as every retry starts
    /// here), a batch, the clean-up; then, unless a full batch suggests more is waiting, a wait for
    /// the next commit or poll.
    /// </summary>
    private async ValueTask RoundAsync(CancellationToken stoppingToken)
    {
        await RefreshBacklogAsync(stoppingToken);
        var published = await PublishBatchAsync(stoppingToken);
        await CleanupAsync(stoppingToken);
        if (published < _options.BatchSize)
        {
            await signal.WaitAsync(_options.PollInterval, stoppingToken);
            // Let the creates of the next few milliseconds join this round: one claim, one
            // broker message and one apply in Trade for all of them instead of one each.
            if (_options.Linger > TimeSpan.Zero) await Task.Delay(_options.Linger, time, stoppingToken);
        }
    }

    /// <summary>Publishes up to one batch of unsent rows; returns how many were confirmed.</summary>
    public async Task<int> PublishBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var outbox = db.Set<OutboxMessage>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        var rows = await outbox
            .FromSql($"SELECT * FROM outbox_messages WHERE sent_at IS NULL ORDER BY id LIMIT {_options.BatchSize} FOR UPDATE SKIP LOCKED")
            .AsNoTracking()
            .ToListAsync(cancellationToken);
        if (rows.Count == 0) return 0;

        using var publishTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        publishTimeout.CancelAfter(_options.PublishTimeout);
        var messages = OutboxBatcher.Group(rows, types, _options.MaxEventsPerMessage);
        var outcomes = await Task.WhenAll(messages.Select(m => PublishAsync(m, publishTimeout.Token)));

        var now = time.GetUtcNow();
        var sent = messages.Where((_, i) => outcomes[i] is null).SelectMany(m => m.Rows).Select(r => r.Id).ToList();
        if (sent.Count > 0)
        {
            await outbox.Where(m => sent.Contains(m.Id)).ExecuteUpdateAsync(s => s
                .SetProperty(m => m.SentAt, now)
                .SetProperty(m => m.Attempts, m => m.Attempts + 1), cancellationToken);
        }
        var failed = messages.Select((message, i) => (message, error: outcomes[i])).Where(x => x.error is not null).ToList();
        foreach (var (message, error) in failed)
        {
            var ids = message.Rows.Select(r => r.Id).ToList();
            var text = Truncate($"{error!.GetType().Name}: {error.Message}", 1000);
            await outbox.Where(m => ids.Contains(m.Id)).ExecuteUpdateAsync(s => s
                .SetProperty(m => m.Attempts, m => m.Attempts + 1)
                .SetProperty(m => m.LastError, text), CancellationToken.None);
        }
        await transaction.CommitAsync(CancellationToken.None);

        metrics.Published(sent.Count);
        if (sent.Count > 0) LogPublished(sent.Count, messages.Count - failed.Count, rows[0].Id, rows[^1].Id);
        if (failed.Count > 0)
        {
            metrics.PublishFailed(failed.Sum(f => f.message.Rows.Count));
            throw new OutboxPublishException(failed.Sum(f => f.message.Rows.Count), rows.Count, failed[0].error!);
        }
        return sent.Count;
    }

    private async Task<Exception?> PublishAsync(OutboxBatcher.Message message, CancellationToken cancellationToken)
    {
        // Continue the trace of the request that wrote the event, even if that was before a restart;
        // the other events of a batch are linked. MassTransit carries the context on to Trade.
        using var activity = Telemetry.StartContinuation("outbox publish", System.Diagnostics.ActivityKind.Producer,
            message.TraceParent, message.Rows.Skip(1).Select(r => r.TraceParent));
        activity?.SetTag("energytrade.outbox.events", message.Rows.Count);
        activity?.SetTag("messaging.message.id", message.MessageId.ToString());
        try
        {
            var (payload, type) = message.Read(types);
            await bus.Publish(payload, type, context =>
            {
                context.MessageId = message.MessageId;
                context.Durable = true;
            }, cancellationToken);
            return null;
        }
        catch (Exception ex)
        {
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, ex.Message);
            return ex;
        }
    }

    /// <summary>Refreshes the backlog gauges at most once a second, also while RabbitMQ is away.</summary>
    private async Task RefreshBacklogAsync(CancellationToken cancellationToken)
    {
        if (time.GetUtcNow() - metrics.LastRefresh < TimeSpan.FromSeconds(1)) return;
        await using var scope = scopes.CreateAsyncScope();
        metrics.Update(await OutboxBacklog.ReadAsync(scope.ServiceProvider.GetRequiredService<TContext>(), cancellationToken));
    }

    private async Task CleanupAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (now < _nextCleanup) return;
        _nextCleanup = now + TimeSpan.FromMinutes(10);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var cutoff = now - _options.SentRetention;
        var deleted = await db.Set<OutboxMessage>().Where(m => m.SentAt != null && m.SentAt < cutoff).ExecuteDeleteAsync(cancellationToken);
        if (deleted > 0) LogCleaned(deleted, _options.SentRetention);
    }

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..max];

    [LoggerMessage(LogLevel.Debug, "Published {Count} outbox events in {Messages} messages (rows {FirstId}..{LastId})")]
    private partial void LogPublished(int count, int messages, long firstId, long lastId);

    [LoggerMessage(LogLevel.Warning, "Outbox relay failed (attempt {Failures}); events stay in the outbox and will be retried in {Delay}. Check that RabbitMQ (ConnectionStrings:RabbitMq) and PostgreSQL are reachable")]
    private partial void LogPublishFailed(Exception exception, int failures, TimeSpan delay);

    [LoggerMessage(LogLevel.Information, "Outbox relay recovered after {Failures} failed attempts")]
    private partial void LogRecovered(int failures);

    [LoggerMessage(LogLevel.Information, "Deleted {Count} outbox rows sent more than {Retention} ago")]
    private partial void LogCleaned(int count, TimeSpan retention);
}

public sealed class OutboxPublishException(int failed, int claimed, Exception first)
    : Exception($"{failed} of {claimed} outbox events were not confirmed by RabbitMQ: {first.Message}", first);
