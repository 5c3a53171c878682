using EnergyTrade.Persistence;
using EnergyTrade.Contracts;
using EnergyTrade.ServiceDefaults;
using EnergyTrade.Shipments.Api;
using EnergyTrade.Shipments.Data;
using EnergyTrade.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using V1 = EnergyTrade.Shipments.V1;

namespace EnergyTrade.Shipments.Republish;

/// <summary>Configuration section "Republish".</summary>
public sealed class RepublishOptions
{
    public const string Section = "Republish";

    /// <summary>
    /// Shipments per page: one transaction reads this many entries of the operation's index walk
    /// (<see cref="RepublishWalk"/>), writes the outbox rows of those its filters keep, and moves its progress on.
    /// </summary>
    public int PageSize { get; set; } = 500;

    /// <summary>How often to look for running operations another replica started or a restart left behind.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Unsent outbox rows at which no further page is written (so the backlog peaks near this plus a page):
    /// the outbox is first in, first out, so every republished row still unsent is one a live create's
    /// event waits behind. 10 pages by default; at least 1.
    /// </summary>
    public int MaxOutboxBacklog { get; set; } = 5_000;

    /// <summary>How soon to look again while the backlog is above <see cref="MaxOutboxBacklog"/>.</summary>
    public TimeSpan BacklogPollInterval { get; set; } = TimeSpan.FromMilliseconds(100);
}

/// <summary>
/// Carries running republish operations forward, one page per transaction: the page's snapshots go
/// to the outbox and the operation's cursor and count move on in the same commit, so a crash loses
/// nothing and repeats nothing, and any replica — or this one after a restart — resumes where the
/// last commit left off. The operation's row is locked (SKIP LOCKED) while a page is written, so two
/// replicas never write the same page. A replay of millions goes at the pace the outbox is relayed,
/// about <see cref="RepublishOptions.MaxOutboxBacklog"/> ahead of it at most, so live creates' events
/// are not queued behind it.
/// </summary>
public sealed partial class RepublishWorker(
    IServiceScopeFactory scopes,
    RepublishSignal signal,
    OutboxSignal outboxSignal,
    TimeProvider time,
    IOptions<RepublishOptions> options,
    ILogger<RepublishWorker> logger) : BackgroundService
{
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // A failed page rolled back: the operation stays running and the page is tried again.
        var retry = BackgroundRetry.Create(MaxRetryDelay, time, (ex, attempt, delay) => LogRetrying(ex, attempt, delay));
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                switch (await retry.ExecuteAsync(WritePageAsync, stoppingToken))
                {
                    case Page.NoneRunning:
                        await signal.WaitAsync(options.Value.PollInterval, stoppingToken);
                        break;
                    case Page.BacklogFull:
                        await Task.Delay(options.Value.BacklogPollInterval, time, stoppingToken);
                        break;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private enum Page { Written, NoneRunning, BacklogFull }

    /// <summary>Writes the next page of the oldest running operation, unless none is running (or all are busy elsewhere) or the outbox is full enough.</summary>
    private async ValueTask<Page> WritePageAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ShipmentsDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var operation = await db.RepublishOperations
            .FromSql($"SELECT * FROM republish_operations WHERE state = 'Running' ORDER BY create_time LIMIT 1 FOR UPDATE SKIP LOCKED")
            .FirstOrDefaultAsync(cancellationToken);
        if (operation is null) return Page.NoneRunning;
        // Counted only up to the limit, on the partial index of unsent rows: cheap however far behind the relay is.
        var limit = Math.Max(1, options.Value.MaxOutboxBacklog);
        var unsent = await db.Database
            .SqlQuery<int>($"SELECT count(*)::int AS \"Value\" FROM (SELECT 1 FROM outbox_messages WHERE sent_at IS NULL LIMIT {limit}) AS unsent")
            .SingleAsync(cancellationToken);
        if (unsent >= limit) return Page.BacklogFull;

        try
        {
            await WritePageAsync(db, operation, cancellationToken);
        }
        catch (Exception ex) when (!TransientFailures.IsTransient(ex) && ex is not OperationCanceledException)
        {
            // A page that fails for a reason other than connectivity would fail every time: the
            // operation ends, saying why, rather than retrying for ever.
            await transaction.RollbackAsync(CancellationToken.None);
            await FailAsync(operation.Id, ex);
            return Page.Written;
        }
        await transaction.CommitAsync(CancellationToken.None);
        outboxSignal.Notify();
        return Page.Written;
    }

    private async Task WritePageAsync(ShipmentsDbContext db, RepublishOperation operation, CancellationToken cancellationToken)
    {
        var request = V1.RepublishShipmentsRequest.Parser.ParseFrom(operation.Request);
        var filters = ShipmentFilter.Parse(request, new FieldViolations());
        var (page, end) = await RepublishWalk.NextPageAsync(db.Shipments.AsNoTracking(), filters, operation, Math.Max(1, options.Value.PageSize),
            cancellationToken);

        var now = time.GetUtcNow();
        db.OutboxMessages.AddRange(page.Select(s => ShipmentWriter.Changed(s.ToSnapshot(), ShipmentChangeKind.Republished, now)));
        operation.RepublishedCount += page.Count;
        operation.UpdateTime = now;
        if (end is not null)
        {
            (operation.Cursor, operation.CursorLoadDate) = (end.Id, end.LoadDate);
            if (page.Count > 0) LogProgress(operation.Name, operation.RepublishedCount, operation.TotalCount);
        }
        else
        {
            // Fewer than a page of shipments were left, so this page reached the end of the walk.
            operation.State = OperationState.Succeeded;
            operation.EndTime = now;
            // Shipments recorded while it ran may have been republished too.
            operation.TotalCount = Math.Max(operation.TotalCount, operation.RepublishedCount);
            LogFinished(operation.Name, operation.RepublishedCount);
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task FailAsync(Guid id, Exception ex)
    {
        LogFailed(ex, $"operations/{id}");
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ShipmentsDbContext>();
        var now = time.GetUtcNow();
        var error = $"{ex.GetType().Name}: {ex.Message}";
        await db.RepublishOperations.Where(o => o.Id == id && o.State == OperationState.Running).ExecuteUpdateAsync(u => u
            .SetProperty(o => o.State, OperationState.Failed)
            .SetProperty(o => o.Error, error.Length <= 1024 ? error : error[..1023] + "…")
            .SetProperty(o => o.EndTime, now)
            .SetProperty(o => o.UpdateTime, now));
    }

    [LoggerMessage(LogLevel.Information, "Republish {Operation}: {Done} of about {Total} shipments written to the outbox")]
    private partial void LogProgress(string operation, long done, long total);

    [LoggerMessage(LogLevel.Information, "Republish {Operation} finished: {Done} shipments written to the outbox")]
    private partial void LogFinished(string operation, long done);

    [LoggerMessage(LogLevel.Error, "Republish {Operation} failed and was stopped; its error says why. Start a new one once the cause is fixed")]
    private partial void LogFailed(Exception exception, string operation);

    [LoggerMessage(LogLevel.Warning, "Republishing a page failed (attempt {Failures}); retrying in {Delay}. Check that PostgreSQL is reachable")]
    private partial void LogRetrying(Exception exception, int failures, TimeSpan delay);
}
