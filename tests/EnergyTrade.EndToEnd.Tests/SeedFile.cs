using System.Globalization;
using EnergyTrade.Shipments.V1;

namespace EnergyTrade.EndToEnd.Tests;

/// <summary>
/// The repository's seed file (seed/azerbaijan-belarus-2020.csv) as an outside client sends it: one
/// CreateShipmentRequest a row. Read column by column as that file has them (comment lines, a header,
/// no quoting), not through the CLI, so the suite stays a client of the wire API only.
/// </summary>
internal static class SeedFile
{
    public static readonly string FilePath = Path.Combine(AppContext.BaseDirectory, "seed", "azerbaijan-belarus-2020.csv");

    /// <param name="requestIdPrefix">Put before each row's request_id, so one run's rows are its own on a shared stack.</param>
    public static List<CreateShipmentRequest> Requests(string requestIdPrefix = "")
    {
        var lines = File.ReadLines(FilePath).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        var header = lines[0].Split(',');
        return lines.Skip(1).Select(line =>
        {
            var fields = line.Split(',');
            if (fields.Length != header.Length) throw new FormatException($"{FilePath}: {fields.Length} fields where the header has {header.Length}: {line}");
            string Field(string column) => fields[Array.IndexOf(header, column)];

            var shipment = new Shipment
            {
                Shipper = Field("shipper"),
                ExporterCountry = Field("exporter_country"),
                ImporterCountry = Field("importer_country"),
                OriginCountry = Field("origin_country"),
                Grade = Field("grade"),
                Quantity = new Quantity
                {
                    Value = new Google.Type.Decimal { Value = Field("quantity") },
                    Unit = Field("unit") switch
                    {
                        "bbl" => Quantity.Types.Unit.Barrels,
                        "t" => Quantity.Types.Unit.MetricTonnes,
                        var unit => throw new FormatException($"{FilePath}: unit '{unit}'"),
                    },
                },
                LoadDate = Date(Field("load_date")),
                LoadPort = Field("load_port"),
                DischargePort = Field("discharge_port"),
            };
            if (Field("barrels_per_tonne") is { Length: > 0 } factor) shipment.Quantity.BarrelsPerTonne = new Google.Type.Decimal { Value = factor };
            if (Field("delivery_date") is { Length: > 0 } delivered) shipment.DeliveryDate = Date(delivered);
            // The seed prices nothing (see the file's notes); a value would need its Money conversion here.
            if (Field("value_usd").Length > 0) throw new NotSupportedException($"{FilePath}: value_usd is not read by this suite");
            return new CreateShipmentRequest { Shipment = shipment, RequestId = requestIdPrefix + Field("request_id") };
        }).ToList();
    }

    private static Google.Type.Date Date(string text)
    {
        var date = DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        return new Google.Type.Date { Year = date.Year, Month = date.Month, Day = date.Day };
    }
}
