using EnergyTrade.Shipments.Api;
using EnergyTrade.Shipments.Data;
using Microsoft.EntityFrameworkCore;

namespace EnergyTrade.Shipments.Republish;

/// <summary>
/// How a republish moves through the table. A page is the next PageSize shipments of an index walk —
/// the load-date index when the request bounds the load date, else the primary key — of which the
/// filters keep what they keep. Paging on the filtered rows instead would let one page read millions of
/// rows the filters skip (a year stored last, a rare pair) inside one transaction; this way each
/// transaction reads at most a page of index entries however selective the filters, and a year of a
/// table of millions is walked through that year's entries alone.
/// <para>
/// Each page commits with its cursor, so a crash repeats nothing. A shipment whose load date is edited
/// while a load-date walk runs may be met twice or not at all; either way its edit sent its own event.
/// Operations started before the load-date walk existed go on walking the primary key; a running one
/// must not be carried on by replicas of both releases at once (let it finish, or cancel it, before
/// such an upgrade).
/// </para>
/// </summary>
public static class RepublishWalk
{
    /// <summary>Where a page ended: the next starts after it; null when the page reached the end of the walk.</summary>
    public sealed record Position(Guid Id, DateOnly? LoadDate);

    public static async Task<(List<Shipment> Page, Position? End)> NextPageAsync(IQueryable<Shipment> shipments, ShipmentFilter filters,
        RepublishOperation operation, int pageSize, CancellationToken cancellationToken)
    {
        // An operation that began walking the primary key (before the load-date walk existed) goes on doing so.
        return filters.BoundsLoadDate && (operation.Cursor is null || operation.CursorLoadDate is not null)
            ? await ByLoadDateAsync(shipments, filters, operation, pageSize, cancellationToken)
            : await ByIdAsync(shipments, filters, operation.Cursor, pageSize, cancellationToken);
    }

    /// <summary>ListShipments' order (newest load date first, then id) over the range, on ix_shipments_load_date_id.</summary>
    private static async Task<(List<Shipment>, Position?)> ByLoadDateAsync(IQueryable<Shipment> shipments, ShipmentFilter filters,
        RepublishOperation operation, int pageSize, CancellationToken cancellationToken)
    {
        var range = filters.ApplyLoadDates(shipments);
        if (operation is { Cursor: { } id, CursorLoadDate: { } date }) range = ShipmentOrder.After(range, date, id);
        var end = await ShipmentOrder.Newest(range).Skip(pageSize - 1).Select(s => new { s.Id, s.LoadDate }).FirstOrDefaultAsync(cancellationToken);
        var window = end is null ? range : ShipmentOrder.Through(range, end.LoadDate, end.Id);
        var page = await ShipmentOrder.Newest(filters.Apply(Fenced(ShipmentOrder.Newest(window)))).ToListAsync(cancellationToken);
        return (page, end is null ? null : new Position(end.Id, end.LoadDate));
    }

    private static async Task<(List<Shipment>, Position?)> ByIdAsync(IQueryable<Shipment> shipments, ShipmentFilter filters, Guid? cursor,
        int pageSize, CancellationToken cancellationToken)
    {
        var rest = cursor is { } after ? shipments.Where(s => s.Id > after) : shipments;
        var end = await rest.OrderBy(s => s.Id).Skip(pageSize - 1).Select(s => (Guid?)s.Id).FirstOrDefaultAsync(cancellationToken);
        var window = end is { } last ? rest.Where(s => s.Id <= last) : rest;
        var page = await filters.Apply(Fenced(window.OrderBy(s => s.Id))).OrderBy(s => s.Id).ToListAsync(cancellationToken);
        return (page, end is { } e ? new Position(e, null) : null);
    }

    /// <summary>
    /// The window as a subquery with a LIMIT that cuts nothing: PostgreSQL pushes no condition into a
    /// subquery with a LIMIT, so the window is read by its own index range and the filters apply on
    /// top, whatever plan the filters alone would have chosen (the pair index, say, which would read
    /// every shipment of the pair on every page). The window is bounded by the page's end rather than
    /// by a count, so a shipment written inside it between the two statements is not pushed out of it.
    /// </summary>
    private static IQueryable<Shipment> Fenced(IQueryable<Shipment> window) => window.Take(int.MaxValue);
}
