using EnergyTrade.Cli.Grpc;
using EnergyTrade.Shipments.V1;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace EnergyTrade.Cli.Output;

/// <summary>Shipments as tables: one in detail, or many one per line.</summary>
public static class ShipmentView
{
    public static IRenderable Detail(Shipment shipment)
    {
        var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        void Row(string label, string value)
        {
            if (value.Length > 0) grid.AddRow(new Text(label, new Style(decoration: Decoration.Bold)), new Text(value));
        }
        Row("Name", shipment.Name);
        Row("State", $"{State(shipment.State)}, version {shipment.Version}");
        Row("Cancel reason", shipment.CancelReason);
        Row("Shipper", shipment.Shipper);
        Row("Buyer", shipment.Buyer);
        Row("Exporter → importer", $"{shipment.ExporterCountry} → {shipment.ImporterCountry}");
        Row("Origin of the oil", shipment.OriginCountry);
        Row("Grade", shipment.Grade);
        Row("Quantity", Quantity(shipment.Quantity));
        Row("Barrels", Numbers.Barrels(shipment.Barrels));
        Row("Tonnes", Numbers.Tonnes(shipment.Tonnes));
        Row("Value", shipment.Value is null ? "" : Numbers.Usd(shipment.Value));
        Row("Load date", ProtoValues.Format(shipment.LoadDate));
        Row("Delivery date", ProtoValues.Format(shipment.DeliveryDate));
        Row("Ports", Ports(shipment));
        Row("Created", Timestamp(shipment.CreateTime));
        Row("Updated", Timestamp(shipment.UpdateTime));
        return grid;
    }

    /// <summary>
    /// One line per shipment, narrow enough for a terminal: the id without "shipments/" (get takes
    /// it as it is) and barrels only; the quantity as recorded is in the detail view.
    /// </summary>
    public static Table List(IReadOnlyCollection<Shipment> shipments)
    {
        var table = new Table().Border(TableBorder.Rounded);
        // Ids, dates and figures should not break mid-way; the text columns wrap first.
        table.AddColumn(new TableColumn("Shipment").NoWrap());
        table.AddColumn(new TableColumn("Load date").NoWrap());
        table.AddColumns("Shipper", "Route", "Origin", "Grade");
        table.AddColumn(new TableColumn("Barrels") { Alignment = Justify.Right }.NoWrap());
        table.AddColumn(new TableColumn("Value") { Alignment = Justify.Right }.NoWrap());
        // Most lists hold active shipments only; the column earns its width when one is cancelled.
        var showState = shipments.Any(s => s.State != Shipment.Types.State.Active);
        if (showState) table.AddColumn("State");
        foreach (var s in shipments)
        {
            string[] cells = [Id(s.Name), ProtoValues.Format(s.LoadDate), s.Shipper, $"{s.ExporterCountry} → {s.ImporterCountry}", s.OriginCountry, s.Grade,
                Numbers.Barrels(s.Barrels), s.Value is null ? "" : Numbers.Usd(s.Value)];
            table.AddRow(Cells.Of(showState ? [.. cells, State(s.State)] : cells));
        }
        return table;
    }

    public static string Id(string name) => name.StartsWith("shipments/", StringComparison.Ordinal) ? name["shipments/".Length..] : name;

    /// <summary>As recorded, with the factor that converts it (given, or its grade's standard one): "90,000 t at 7.5 bbl/t".</summary>
    public static string Quantity(Quantity? quantity)
    {
        if (quantity is null) return "";
        var unit = quantity.Unit switch
        {
            Shipments.V1.Quantity.Types.Unit.Barrels => "bbl",
            Shipments.V1.Quantity.Types.Unit.MetricTonnes => "t",
            _ => "(no unit)",
        };
        var text = $"{Numbers.Quantity(ProtoValues.ToDecimal(quantity.Value))} {unit}";
        return quantity.BarrelsPerTonne is { Value.Length: > 0 } factor ? $"{text} at {Numbers.Quantity(ProtoValues.ToDecimal(factor))} bbl/t" : text;
    }

    private static string Ports(Shipment s) => (s.LoadPort, s.DischargePort) switch
    {
        ("", "") => "",
        (var from, "") => $"loaded at {from}",
        ("", var to) => $"discharged at {to}",
        var (from, to) => $"{from} → {to}",
    };

    public static string State(Shipment.Types.State state) => state switch
    {
        Shipment.Types.State.Active => "active",
        Shipment.Types.State.Cancelled => "cancelled",
        _ => "unspecified",
    };

    public static string Timestamp(Google.Protobuf.WellKnownTypes.Timestamp? timestamp) =>
        timestamp is null ? "" : timestamp.ToDateTimeOffset().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", System.Globalization.CultureInfo.InvariantCulture);
}
