using CsCheck;
using EnergyTrade.Shipments.V1;
using Google.Protobuf.WellKnownTypes;

namespace EnergyTrade.EndToEnd.Tests.Properties;

/// <summary>
/// Shipments at a given noise: the chance, in percent, that each field is drawn from the whole input
/// space instead of what a clerk would type. Noise 0 gives shipments that are valid but for the odd
/// pair of equal countries; noise 60 gives mostly garbage. Either way the oracle, not the generator,
/// says what the server must answer.
/// </summary>
public static class ShipmentGen
{
    public const int NameLimit = 128;
    public const int ReasonLimit = 512;

    private static Gen<T> Field<T>(int noise, Gen<T> clean, Gen<T> any) => noise == 0 ? clean : Gen.Frequency((100 - noise, clean), (noise, any));

    private static readonly Gen<string> CleanPort = Gen.Frequency((3, TextGen.Port), (1, Gen.Const("")));

    public static Gen<Shipment> With(int noise) =>
        from parties in Gen.Select(
            Field(noise, TextGen.Shipper, TextGen.Any(TextGen.Shipper, NameLimit)),
            Field(noise, CountryGen.Trader, CountryGen.Wrong),
            Field(noise, CountryGen.Trader, CountryGen.Wrong),
            Field(noise, CountryGen.Origin, CountryGen.Wrong),
            Field(noise, TextGen.Grade, TextGen.Any(TextGen.Grade, NameLimit)))
        from cargo in Gen.Select(
            Field(noise, QuantityGen.Clean.Select(q => (Quantity?)q), QuantityGen.Any),
            Field(noise, MoneyGen.Clean.Null(0.3), MoneyGen.Any),
            Field(noise, DateGen.Clean.Select(d => (Google.Type.Date?)d), DateGen.AnyLoad),
            Field(noise, CleanPort, TextGen.Any(TextGen.Port, NameLimit)),
            Field(noise, CleanPort, TextGen.Any(TextGen.Port, NameLimit)))
        from delivery in cargo.Item3 is { } load && DateGen.Real(load, out _)
            ? Field(noise, DateGen.CleanDelivery(load), DateGen.Delivery(load))
            : DateGen.Delivery(cargo.Item3)
        from junk in Field(noise / 4, Gen.Const(false), Gen.Const(true))
        select Build(parties, cargo, delivery, junk);

    private static Shipment Build((string, string, string, string, string) parties,
        (Quantity?, Google.Type.Money?, Google.Type.Date?, string, string) cargo, Google.Type.Date? delivery, bool junk)
    {
        var shipment = new Shipment
        {
            Shipper = parties.Item1,
            ExporterCountry = parties.Item2,
            ImporterCountry = parties.Item3,
            OriginCountry = parties.Item4,
            Grade = parties.Item5,
            Quantity = cargo.Item1?.Clone(),
            Value = cargo.Item2?.Clone(),
            LoadDate = cargo.Item3?.Clone(),
            DeliveryDate = delivery?.Clone(),
            LoadPort = cargo.Item4,
            DischargePort = cargo.Item5,
        };
        if (junk)
        {
            // Output-only fields a careless client fills in: the server must ignore them (AIP-203).
            shipment.Barrels = new Google.Type.Decimal { Value = "-1" };
            shipment.Tonnes = new Google.Type.Decimal { Value = "garbage" };
            shipment.State = Shipment.Types.State.Cancelled;
            shipment.CancelReason = "not really";
            shipment.CreateTime = Timestamp.FromDateTime(new DateTime(1999, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        }
        return shipment;
    }

    /// <summary>Keeps only the fields whose bit is set, as a client sending a partial correction would.</summary>
    public static Shipment Sparse(Shipment full, int keep)
    {
        var patch = full.Clone();
        bool Keep(int bit) => (keep & (1 << bit)) != 0;
        if (!Keep(0)) patch.Shipper = "";
        if (!Keep(1)) patch.ExporterCountry = "";
        if (!Keep(2)) patch.ImporterCountry = "";
        if (!Keep(3)) patch.OriginCountry = "";
        if (!Keep(4)) patch.Grade = "";
        if (!Keep(5)) patch.Quantity = null;
        else if (patch.Quantity is { } q)
        {
            if (!Keep(6)) q.Value = null;
            if (!Keep(7)) q.Unit = Quantity.Types.Unit.Unspecified;
            if (!Keep(8)) q.BarrelsPerTonne = null;
        }
        if (!Keep(9)) patch.Value = null;
        if (!Keep(10)) patch.LoadDate = null;
        if (!Keep(11)) patch.DeliveryDate = null;
        if (!Keep(12)) patch.LoadPort = "";
        if (!Keep(13)) patch.DischargePort = "";
        return patch;
    }
}
