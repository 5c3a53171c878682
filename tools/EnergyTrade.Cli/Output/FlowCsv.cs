using EnergyTrade.Cli.Csv;
using EnergyTrade.Trade.V1;

namespace EnergyTrade.Cli.Output;

/// <summary>
/// The figures of one flow as CSV columns, for totals and series alike: FlowTotals' fields with their
/// unit where the name lacks one, as the export writes value_usd, each exactly as the service sent it.
/// </summary>
public static class FlowCsv
{
    public const string Exports = "exports";
    public const string Imports = "imports";

    public static readonly IReadOnlyList<string> Columns =
    [
        "shipment_count", "barrels", "tonnes", CsvColumns.ValueUsd, "valued_shipment_count", "valued_barrels",
        "barrels_per_day", "kb_per_day", "average_price_usd_per_barrel",
    ];

    /// <summary>Empty fields where the service sent nothing: no rate for an open range, no price when nothing was valued.</summary>
    public static string[] Fields(FlowTotals? flow) => flow is null
        ? Only()
        :
        [
            CsvFields.Count(flow.ShipmentCount), CsvFields.Exact(flow.Barrels), CsvFields.Exact(flow.Tonnes), CsvFields.Usd(flow.Value),
            CsvFields.Count(flow.ValuedShipmentCount), CsvFields.Exact(flow.ValuedBarrels),
            CsvFields.Exact(flow.BarrelsPerDay), CsvFields.Thousandths(flow.BarrelsPerDay), CsvFields.Usd(flow.AveragePricePerBarrel),
        ];

    /// <summary>An origin's share carries only these four figures.</summary>
    public static string[] Fields(OriginTotals origin) =>
        Only(CsvFields.Count(origin.ShipmentCount), CsvFields.Exact(origin.Barrels), CsvFields.Exact(origin.Tonnes), CsvFields.Usd(origin.Value));

    /// <summary>A figure in dollars alone (turnover, balance), in the value_usd column.</summary>
    public static string[] Value(Google.Type.Money? usd) => Only(value: CsvFields.Usd(usd));

    /// <summary>The column a --group-by dimension's keys go in, named as the export names that field.</summary>
    public static string KeyColumn(Dimension dimension) => dimension switch
    {
        Dimension.Origin => CsvColumns.OriginCountry,
        Dimension.Shipper => CsvColumns.Shipper,
        Dimension.Buyer => CsvColumns.Buyer,
        Dimension.Grade => CsvColumns.Grade,
        Dimension.LoadPort => CsvColumns.LoadPort,
        Dimension.DischargePort => CsvColumns.DischargePort,
        _ => throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "Not a dimension a group can have."),
    };

    private static string[] Only(string shipments = "", string barrels = "", string tonnes = "", string value = "") =>
        [shipments, barrels, tonnes, value, "", "", "", "", ""];
}
