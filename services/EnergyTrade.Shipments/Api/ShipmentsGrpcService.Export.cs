using System.Data;
using EnergyTrade.Contracts.Security;
using EnergyTrade.ServiceDefaults;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using V1 = EnergyTrade.Shipments.V1;

namespace EnergyTrade.Shipments.Api;

/// <summary>
/// ExportShipments: every matching shipment, streamed a page at a time from one snapshot. Only one
/// page is ever held (read untracked, mapped, written), and WriteAsync waits while the client's flow
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
        (DateOnly LoadDate, Guid Id)? cursor = null;
        while (true)
        {
            var pageQuery = cursor is { } after ? ShipmentOrder.After(query, after.LoadDate, after.Id) : query;
            var rows = await ShipmentOrder.Newest(pageQuery).Take(ExportPageSize).ToListAsync(cancellationToken);
            if (rows.Count == 0) break;

            var page = new V1.ExportShipmentsResponse();
            page.Shipments.AddRange(rows.Select(s => s.ToProto()));
            // Waits for the client to take it: a slow reader slows the export instead of filling memory.
            await responseStream.WriteAsync(page, cancellationToken);
            exported += rows.Count;
            pages++;
            if (rows.Count < ExportPageSize) break;
            cursor = (rows[^1].LoadDate, rows[^1].Id);
        }
        await snapshot.CommitAsync(cancellationToken);
        LogExported(exported, pages, filters.ToString());
    }

    [LoggerMessage(LogLevel.Information, "Exported {Count} shipments in {Pages} pages (filters {Filters})")]
    private partial void LogExported(long count, int pages, string filters);
}
