namespace EnergyTrade.Shipments.V1;

/// <summary>The filters ListShipments, ExportShipments and the republish share, so a client fills them once.</summary>
public interface IShipmentFilterRequest
{
    string ExporterCountry { get; set; }
    string ImporterCountry { get; set; }
    string OriginCountry { get; set; }
    Google.Type.Date? FirstLoadDate { get; set; }
    Google.Type.Date? LastLoadDate { get; set; }
}

public sealed partial class ListShipmentsRequest : IShipmentFilterRequest;

public sealed partial class ExportShipmentsRequest : IShipmentFilterRequest;

public sealed partial class RepublishShipmentsRequest : IShipmentFilterRequest;
