using EnergyTrade.Cli.Grpc;
using EnergyTrade.Shipments.V1;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace EnergyTrade.Cli.Output;

/// <summary>An amendment: the new version, and every amended field (with the barrels and tonnes it implies) before and after.</summary>
public static class AmendmentView
{
    public static IRenderable Render(Shipment before, Shipment after, IReadOnlyList<string> paths)
    {
        var headline = after.Version == before.Version
            ? $"Nothing to change: {after.Name} already records these values (still version {after.Version})."
            : $"Amended {after.Name}: version {before.Version} → {after.Version}. Trade applies the change asynchronously.";

        var rows = new List<string[]>();
        void Text(string label, Func<Shipment, string> field) => rows.Add([label, field(before), field(after), ""]);
        void Figure(string label, Func<Shipment, decimal?> field, Func<decimal, string> format)
        {
            var (b, a) = (field(before), field(after));
            var change = b is { } x && a is { } y ? Numbers.Change(y - x, format) : "";
            rows.Add([label, b is { } bv ? format(bv) : "", a is { } av ? format(av) : "", change]);
        }
        foreach (var path in paths)
        {
            switch (path)
            {
                case "shipper": Text("Shipper", s => s.Shipper); break;
                case "buyer": Text("Buyer", s => s.Buyer); break;
                case "exporter_country": Text("Exporter", s => s.ExporterCountry); break;
                case "importer_country": Text("Importer", s => s.ImporterCountry); break;
                case "origin_country": Text("Origin of the oil", s => s.OriginCountry); break;
                case "grade": Text("Grade", s => s.Grade); break;
                case "quantity":
                    Text("Quantity", s => ShipmentView.Quantity(s.Quantity));
                    Figure("Barrels", s => ProtoValues.ToDecimal(s.Barrels), Numbers.Barrels);
                    Figure("Tonnes", s => ProtoValues.ToDecimal(s.Tonnes), Numbers.Tonnes);
                    break;
                case "value": Figure("Value", s => s.Value is null ? null : ProtoValues.ToDecimal(s.Value), Numbers.Usd); break;
                case "load_date": Text("Load date", s => ProtoValues.Format(s.LoadDate)); break;
                case "delivery_date": Text("Delivery date", s => ProtoValues.Format(s.DeliveryDate)); break;
                case "load_port": Text("Load port", s => s.LoadPort); break;
                case "discharge_port": Text("Discharge port", s => s.DischargePort); break;
            }
        }

        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumn(new TableColumn("Field").NoWrap());
        table.AddColumn(new TableColumn($"Before (version {before.Version})"));
        table.AddColumn(new TableColumn($"After (version {after.Version})"));
        // Figures get their difference; a column of blanks only when nothing amended is a figure.
        var changes = rows.Any(r => r[3].Length > 0);
        if (changes) table.AddColumn(new TableColumn("Change") { Alignment = Justify.Right }.NoWrap());
        foreach (var row in rows) table.AddRow(Cells.Of(changes ? row : row[..3]));
        return new Rows(new Text(headline, new Style(decoration: Decoration.Bold)), table);
    }
}
