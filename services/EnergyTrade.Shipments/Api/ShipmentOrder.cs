using EnergyTrade.Shipments.Data;
using Microsoft.EntityFrameworkCore;

namespace EnergyTrade.Shipments.Api;

/// <summary>
/// The order ListShipments pages in and ExportShipments streams in: newest load date first, then id
/// descending, so a keyset cursor (load date, id) is unique and ix_shipments_load_date_id serves
/// every page, however deep, as an index range.
/// </summary>
public static class ShipmentOrder
{
    public static IOrderedQueryable<Shipment> Newest(IQueryable<Shipment> query) =>
        query.OrderByDescending(s => s.LoadDate).ThenByDescending(s => s.Id);

    /// <summary>The shipments after the one at (<paramref name="loadDate"/>, <paramref name="id"/>) in this order.</summary>
    public static IQueryable<Shipment> After(IQueryable<Shipment> query, DateOnly loadDate, Guid id) =>
        query.Where(s => EF.Functions.LessThan(ValueTuple.Create(s.LoadDate, s.Id), ValueTuple.Create(loadDate, id)));

    /// <summary>The shipments up to and including the one at (<paramref name="loadDate"/>, <paramref name="id"/>) in this order.</summary>
    public static IQueryable<Shipment> Through(IQueryable<Shipment> query, DateOnly loadDate, Guid id) =>
        query.Where(s => EF.Functions.GreaterThanOrEqual(ValueTuple.Create(s.LoadDate, s.Id), ValueTuple.Create(loadDate, id)));
}
