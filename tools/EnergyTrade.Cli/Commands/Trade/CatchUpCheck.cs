using EnergyTrade.Cli.Grpc;
using EnergyTrade.Cli.Output;
using EnergyTrade.Shipments.V1;
using EnergyTrade.Trade.V1;

namespace EnergyTrade.Cli.Commands.Trade;

/// <summary>
/// Whether Trade's totals already include every shipment: Shipments sums its own rows
/// (SummarizeShipments) and the two must agree figure for figure. Comparing against the source,
/// rather than waiting for a number known in advance, works whatever else the database holds.
/// </summary>
public static class CatchUpCheck
{
    public static IReadOnlyList<string> Differences(ShipmentSummary expected, BilateralTotals actual)
    {
        var differences = new List<string>();
        Compare(differences, $"exports {actual.Country} → {actual.Partner}", expected.Exports, actual.Exports);
        Compare(differences, $"imports {actual.Partner} → {actual.Country}", expected.Imports, actual.Imports);
        return differences;
    }

    private static void Compare(List<string> differences, string flow, FlowSummary? expected, FlowTotals? actual)
    {
        void Check(string measure, decimal shipments, decimal trade, Func<decimal, string> format)
        {
            if (shipments != trade) differences.Add($"{flow} {measure}: Shipments has {format(shipments)}, Trade {format(trade)}");
        }
        Check("shipments", expected?.ShipmentCount ?? 0, actual?.ShipmentCount ?? 0, v => Numbers.Count((long)v));
        Check("barrels", ProtoValues.ToDecimal(expected?.Barrels), ProtoValues.ToDecimal(actual?.Barrels), Numbers.Barrels);
        Check("tonnes", ProtoValues.ToDecimal(expected?.Tonnes), ProtoValues.ToDecimal(actual?.Tonnes), Numbers.Tonnes);
        Check("value", ProtoValues.ToDecimal(expected?.Value), ProtoValues.ToDecimal(actual?.Value), Numbers.Usd);
    }
}
