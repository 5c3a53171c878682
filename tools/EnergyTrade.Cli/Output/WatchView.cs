using System.Globalization;
using EnergyTrade.Cli.Grpc;
using EnergyTrade.Trade.V1;

namespace EnergyTrade.Cli.Output;

/// <summary>One line per change of watched totals: the new figures, and by how much each flow moved.</summary>
public static class WatchView
{
    /// <example>
    /// 2026-05-02 10:15:03 UTC  exports AZ → BY 5 shipments, 3,887,500 bbl, 0.00 USD (+57,500 bbl); imports BY → AZ 0 shipments, 0 bbl, 0.00 USD;
    /// turnover 0.00 USD; balance 0.00 USD
    /// </example>
    public static string Change(BilateralTotals previous, BilateralTotals current, DateTimeOffset seenAt)
    {
        var (country, partner) = (current.Country, current.Partner);
        var time = seenAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
        return $"{time}  exports {country} → {partner} {Flow(previous.Exports, current.Exports)}; imports {partner} → {country} {Flow(previous.Imports, current.Imports)}; " +
            $"turnover {Money(previous.Turnover, current.Turnover)}; balance {Money(previous.Balance, current.Balance)}";
    }

    private static string Flow(FlowTotals? before, FlowTotals? after)
    {
        var text = $"{Shipments(after?.ShipmentCount ?? 0)}, {Numbers.Barrels(after?.Barrels)}, {Numbers.Usd(after?.Value)}";
        var changes = new List<string>();
        var count = (after?.ShipmentCount ?? 0) - (before?.ShipmentCount ?? 0);
        if (count != 0) changes.Add(Numbers.Change(count, c => Shipments((long)c)));
        var barrels = ProtoValues.ToDecimal(after?.Barrels) - ProtoValues.ToDecimal(before?.Barrels);
        if (barrels != 0) changes.Add(Numbers.Change(barrels, Numbers.Barrels));
        var value = ProtoValues.ToDecimal(after?.Value) - ProtoValues.ToDecimal(before?.Value);
        if (value != 0) changes.Add(Numbers.Change(value, Numbers.Usd));
        return changes.Count == 0 ? text : $"{text} ({string.Join(", ", changes)})";
    }

    private static string Money(Google.Type.Money? before, Google.Type.Money? after)
    {
        var change = ProtoValues.ToDecimal(after) - ProtoValues.ToDecimal(before);
        return change == 0 ? Numbers.Usd(after) : $"{Numbers.Usd(after)} ({Numbers.Change(change, Numbers.Usd)})";
    }

    private static string Shipments(long count) => Math.Abs(count) == 1 ? $"{count} shipment" : $"{Numbers.Count(count)} shipments";
}
