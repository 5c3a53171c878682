using EnergyTrade.Shipments.V1;

namespace EnergyTrade.EndToEnd.Tests.Properties;

/// <summary>
/// What a reply says about a shipment, as values: two replies for the same version must agree on all
/// of it, and the totals are sums of these figures.
/// </summary>
public sealed record ShipmentView(
    string Name, long Version, Shipment.Types.State State, string Shipper, string Exporter, string Importer, string Origin, string Grade,
    decimal QuantityValue, Quantity.Types.Unit Unit, decimal? BarrelsPerTonne, decimal Barrels, decimal Tonnes, decimal? ValueUsd,
    DateOnly LoadDate, DateOnly? DeliveryDate, string LoadPort, string DischargePort, string CancelReason)
{
    public bool Active => State == Shipment.Types.State.Active;

    public DateOnly Month => new(LoadDate.Year, LoadDate.Month, 1);

    public static ShipmentView Of(Shipment s)
    {
        Oracle.TryDecimal(s.Quantity?.Value, out var value);
        decimal? factor = s.Quantity?.BarrelsPerTonne is { } f && Oracle.TryDecimal(f, out var parsed) ? parsed : null;
        Oracle.TryDecimal(s.Barrels, out var barrels);
        Oracle.TryDecimal(s.Tonnes, out var tonnes);
        DateGen.Real(s.LoadDate, out var load);
        DateOnly? delivery = DateGen.Real(s.DeliveryDate, out var d) ? d : null;
        return new ShipmentView(s.Name, s.Version, s.State, s.Shipper, s.ExporterCountry, s.ImporterCountry, s.OriginCountry, s.Grade,
            value, s.Quantity?.Unit ?? Quantity.Types.Unit.Unspecified, factor, barrels, tonnes, s.Value is null ? null : Oracle.Usd(s.Value),
            load, delivery, s.LoadPort, s.DischargePort, s.CancelReason);
    }
}
