using System.Globalization;
using EnergyTrade.Cli.Output;
using EnergyTrade.Shipments.V1;

namespace EnergyTrade.Cli.Csv;

/// <summary>
/// Writes shipments in the CSV that shipments import reads (<see cref="CsvColumns.Export"/>), so an
/// export can be imported again: the request_id is the shipment's name, which makes importing the file
/// twice record each row once. Figures are written exactly as the service sent them.
/// </summary>
public sealed class CsvShipmentWriter : IDisposable
{
    public const string Cancelled = "cancelled";

    private readonly CsvTable _csv;

    public CsvShipmentWriter(TextWriter text) => _csv = new CsvTable(text, CsvColumns.Export);

    public void Write(Shipment s) => _csv.Row(
    [
        s.Name, s.Shipper, s.ExporterCountry, s.ImporterCountry, s.OriginCountry, s.Grade,
        CsvFields.Exact(s.Quantity?.Value), Unit(s.Quantity), CsvFields.Exact(s.Quantity?.BarrelsPerTonne), CsvFields.Usd(s.Value),
        CsvFields.Date(s.LoadDate), CsvFields.Date(s.DeliveryDate), s.LoadPort, s.DischargePort, s.Buyer,
        s.Name, CsvFields.Count(s.Version), ShipmentView.State(s.State),
        CsvFields.Exact(s.Barrels), CsvFields.Exact(s.Tonnes), Time(s.CreateTime), Time(s.UpdateTime),
    ]);

    public void Flush() => _csv.Flush();

    public void Dispose() => _csv.Dispose();

    private static string Unit(Quantity? quantity) => quantity?.Unit switch
    {
        Quantity.Types.Unit.Barrels => "bbl",
        Quantity.Types.Unit.MetricTonnes => "t",
        _ => "",
    };

    /// <summary>ISO 8601 in UTC with every digit the service sent: "2020-05-16T09:00:00.123456Z".</summary>
    private static string Time(Google.Protobuf.WellKnownTypes.Timestamp? time) =>
        time is null ? "" : time.ToDateTime().ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
}
