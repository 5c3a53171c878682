using System.Globalization;
using CsvHelper;
using EnergyTrade.Cli.Grpc;
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

    private readonly CsvWriter _csv;

    public CsvShipmentWriter(TextWriter text)
    {
        _csv = CsvWriter.Create(text, new CsvWriterOptions
        {
            NewLine = "\n",
            // The import skips lines starting with '#': a first field that does is quoted instead.
            CommentPrefix = '#',
        }, leaveOpen: true);
        _csv.WriteHeader([.. CsvColumns.Export]);
    }

    public void Write(Shipment s)
    {
        string[] fields =
        [
            s.Name, s.Shipper, s.ExporterCountry, s.ImporterCountry, s.OriginCountry, s.Grade,
            s.Quantity?.Value?.Value ?? "", Unit(s.Quantity), s.Quantity?.BarrelsPerTonne?.Value ?? "",
            s.Value is null ? "" : ProtoValues.ToDecimal(s.Value).ToString(CultureInfo.InvariantCulture),
            ProtoValues.Format(s.LoadDate), ProtoValues.Format(s.DeliveryDate), s.LoadPort, s.DischargePort, s.Buyer,
            s.Name, s.Version.ToString(CultureInfo.InvariantCulture), ShipmentView.State(s.State),
            s.Barrels?.Value ?? "", s.Tonnes?.Value ?? "", Time(s.CreateTime), Time(s.UpdateTime),
        ];
        foreach (var field in fields) _csv.WriteField(field);
        _csv.EndRecord();
    }

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
