using EnergyTrade.ServiceDefaults;
using EnergyTrade.Shipments.Api;
using V1 = EnergyTrade.Shipments.V1;

namespace EnergyTrade.UnitTests;

[Trait("Category", "Unit")]
public sealed class RequestFingerprintTests
{
    private static ShipmentInput Input(Action<V1.Shipment>? change = null)
    {
        var shipment = Proto.ValidShipment();
        change?.Invoke(shipment);
        var violations = new FieldViolations();
        var input = ShipmentInput.Parse(shipment, "shipment.", violations);
        Assert.Empty(violations.Items);
        return input;
    }

    [Fact]
    public void It_is_a_lower_case_sha256_hex_string()
    {
        var fingerprint = RequestFingerprint.Of(Input());

        Assert.Equal(64, fingerprint.Length);
        Assert.All(fingerprint, c => Assert.True(char.IsAsciiHexDigitLower(c) || char.IsAsciiDigit(c), $"'{c}' is not lower-case hex"));
    }

    [Fact]
    public void The_same_request_has_the_same_fingerprint()
    {
        Assert.Equal(RequestFingerprint.Of(Input()), RequestFingerprint.Of(Input()));
    }

    [Fact]
    public void Whitespace_that_validation_trims_does_not_change_it()
    {
        Assert.Equal(RequestFingerprint.Of(Input()), RequestFingerprint.Of(Input(s => s.Shipper = "  SOCAR ")));
    }

    public static TheoryData<string, Action<V1.Shipment>> Changes => new()
    {
        { "shipper", s => s.Shipper = "Lukoil" },
        { "importer", s => s.ImporterCountry = "UA" },
        { "origin", s => s.OriginCountry = "KZ" },
        { "quantity", s => s.Quantity.Value = Proto.Dec("90001") },
        { "unit", s => s.Quantity.Unit = V1.Quantity.Types.Unit.Barrels },
        { "factor", s => s.Quantity.BarrelsPerTonne = Proto.Dec("7.6") },
        { "value", s => s.Value = Proto.Usd(1234, 570_000_000) },
        { "no value", s => s.Value = null },
        { "load date", s => s.LoadDate = Proto.Date(2020, 3, 5) },
        { "delivery date", s => s.DeliveryDate = null },
        { "port", s => s.LoadPort = "Supsa" },
    };

    [Theory]
    [MemberData(nameof(Changes))]
    public void Any_content_change_changes_it(string what, Action<V1.Shipment> change)
    {
        Assert.False(string.IsNullOrEmpty(what));
        Assert.NotEqual(RequestFingerprint.Of(Input()), RequestFingerprint.Of(Input(change)));
    }
}
