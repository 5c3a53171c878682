namespace EnergyTrade.Cli.Csv;

/// <summary>The columns of a shipments CSV file, named like the API's fields so errors read the same either way.</summary>
public static class CsvColumns
{
    public const string RequestId = "request_id";
    public const string Shipper = "shipper";
    public const string ExporterCountry = "exporter_country";
    public const string ImporterCountry = "importer_country";
    public const string OriginCountry = "origin_country";
    public const string Grade = "grade";
    public const string Quantity = "quantity";
    public const string Unit = "unit";
    public const string BarrelsPerTonne = "barrels_per_tonne";
    public const string ValueUsd = "value_usd";
    public const string LoadDate = "load_date";
    public const string DeliveryDate = "delivery_date";
    public const string LoadPort = "load_port";
    public const string DischargePort = "discharge_port";
    public const string Buyer = "buyer";

    // What shipments export writes after the columns above: the shipment as recorded, which a
    // create does not take, so an import reads past them.
    public const string Name = "name";
    public const string Version = "version";
    public const string State = "state";
    public const string Barrels = "barrels";
    public const string Tonnes = "tonnes";
    public const string CreateTime = "create_time";
    public const string UpdateTime = "update_time";

    /// <summary>Every file must have these in its header, in any order.</summary>
    public static readonly IReadOnlyList<string> Required =
        [RequestId, Shipper, ExporterCountry, ImporterCountry, OriginCountry, Grade, Quantity, Unit, LoadDate];

    /// <summary>These may be left out of the header altogether.</summary>
    public static readonly IReadOnlyList<string> Optional =
        [BarrelsPerTonne, ValueUsd, DeliveryDate, LoadPort, DischargePort, Buyer];

    /// <summary>An export's output-only columns: an import accepts them and takes nothing from them but <see cref="State"/>.</summary>
    public static readonly IReadOnlyList<string> Exported = [Name, Version, State, Barrels, Tonnes, CreateTime, UpdateTime];

    /// <summary>The columns an import reads.</summary>
    public static IEnumerable<string> All => Required.Concat(Optional);

    /// <summary>The columns an export writes: what an import reads, in the order documented, then the output-only ones.</summary>
    public static IEnumerable<string> Export => [RequestId, Shipper, ExporterCountry, ImporterCountry, OriginCountry, Grade, Quantity, Unit,
        BarrelsPerTonne, ValueUsd, LoadDate, DeliveryDate, LoadPort, DischargePort, Buyer, .. Exported];

    /// <summary>
    /// The column a service field violation is about ("shipment.quantity.value" → "quantity"), so an
    /// import report points at the CSV file rather than at the API.
    /// </summary>
    public static string ForField(string fieldPath)
    {
        var path = fieldPath.StartsWith("shipment.", StringComparison.Ordinal) ? fieldPath["shipment.".Length..] : fieldPath;
        return path switch
        {
            "quantity.value" or "quantity" => Quantity,
            "quantity.unit" => Unit,
            "quantity.barrels_per_tonne" => BarrelsPerTonne,
            _ when path == "value" || path.StartsWith("value.", StringComparison.Ordinal) => ValueUsd,
            _ when path.StartsWith("load_date", StringComparison.Ordinal) => LoadDate,
            _ when path.StartsWith("delivery_date", StringComparison.Ordinal) => DeliveryDate,
            _ => path,
        };
    }
}
