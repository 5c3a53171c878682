using System.Data;
using EnergyTrade.Contracts.Security;
using EnergyTrade.ServiceDefaults;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using V1 = EnergyTrade.Shipments.V1;

namespace EnergyTrade.Shipments.Api;

/// <summary>
/// ExportShipments: every matching shipment, streamed a page at a time from one snapshot. At most two
/// pages are held (one written while the next is read), and WriteAsync waits while the client's flow
/// control window is full, so memory stays flat whether the export has a hundred rows or millions.
/// </summary>
public sealed partial class ShipmentsGrpcService
{
    public const int ExportPageSize = MaxPageSize;

    [Authorize(Policy = Scopes.ShipmentsRead)]
    public override async Task ExportShipments(V1.ExportShipmentsRequest request, IServerStreamWriter<V1.ExportShipmentsResponse> responseStream,
        ServerCallContext context)
    {
        var violations = new FieldViolations();
        var filters = ShipmentFilter.Parse(request, violations);
        violations.ThrowIfAny();
        var cancellationToken = context.CancellationToken;

        // Keyset pages alone would let a concurrent insert behind the cursor be skipped and one ahead of
        // it be read: every page reads the snapshot of the first, so the export is the table as it stood
        // when it began. Read-only, because nothing here may write, and so PostgreSQL need not track it
        // as a writer.
        await using var snapshot = await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        await db.Database.ExecuteSqlAsync($"SET TRANSACTION READ ONLY", cancellationToken);

        var query = filters.Apply(db.Shipments.AsNoTracking());
        long exported = 0;
        var pages = 0;
        var rows = await PageAsync(query, after: null, cancellationToken);
        while (rows.Count > 0)
        {
            // The next page is read while this one is mapped and written: PostgreSQL and the
            // serialisation overlap instead of taking turns. The write is no database call, so the
            // context is still used by one operation at a time.
            var next = rows.Count < ExportPageSize ? null : PageAsync(query, (rows[^1].LoadDate, rows[^1].Id), cancellationToken);
            try
            {
                var page = new V1.ExportShipmentsResponse();
                page.Shipments.AddRange(rows.Select(s => s.ToProto()));
                // Waits for the client to take it: a slow reader slows the export instead of filling memory.
                await responseStream.WriteAsync(page, cancellationToken);
            }
            catch when (next is not null)
            {
                // The read ahead must end before the context goes back to the pool; its own failure (most
                // likely the same cancellation) is not the one to report.
                try
                {
                    await next;
                }
                catch
                {
                }
                throw;
            }
            exported += rows.Count;
            pages++;
            rows = next is null ? [] : await next;
        }
        await snapshot.CommitAsync(cancellationToken);
        LogExported(exported, pages, filters.ToString());
    }

    private static Task<List<Data.Shipment>> PageAsync(IQueryable<Data.Shipment> query, (DateOnly LoadDate, Guid Id)? after,
        CancellationToken cancellationToken)
    {
        var page = after is { } cursor ? ShipmentOrder.After(query, cursor.LoadDate, cursor.Id) : query;
        return ShipmentOrder.Newest(page).Take(ExportPageSize).ToListAsync(cancellationToken);
    }

    [LoggerMessage(LogLevel.Information, "Exported {Count} shipments in {Pages} pages (filters {Filters})")]
    private partial void LogExported(long count, int pages, string filters);
}
