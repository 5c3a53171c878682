using EnergyTrade.Shipments.Data;

namespace EnergyTrade.UnitTests;

[Trait("Category", "Unit")]
public sealed class ShipmentNamesTests
{
    private static readonly Guid Id = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");

    [Fact]
    public void Format_is_shipments_slash_lower_case_uuid()
    {
        Assert.Equal("shipments/0f8fad5b-d9cb-469f-a165-70867728950e", ShipmentNames.Format(Id));
    }

    [Fact]
    public void A_formatted_name_parses_back()
    {
        var id = Guid.NewGuid();

        Assert.True(ShipmentNames.TryParse(ShipmentNames.Format(id), out var parsed));
        Assert.Equal(id, parsed);
    }

    [Fact]
    public void Upper_case_hex_is_the_same_id()
    {
        Assert.True(ShipmentNames.TryParse("shipments/0F8FAD5B-D9CB-469F-A165-70867728950E", out var parsed));
        Assert.Equal(Id, parsed);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("shipments/")]
    [InlineData("shipments/not-a-uuid")]
    [InlineData("0f8fad5b-d9cb-469f-a165-70867728950e")]
    [InlineData("shipment/0f8fad5b-d9cb-469f-a165-70867728950e")]
    [InlineData("Shipments/0f8fad5b-d9cb-469f-a165-70867728950e")]
    [InlineData("/shipments/0f8fad5b-d9cb-469f-a165-70867728950e")]
    [InlineData("shipments/0f8fad5b-d9cb-469f-a165-70867728950e/")]
    [InlineData("shipments/0f8fad5b-d9cb-469f-a165-70867728950e/extra")]
    [InlineData("shipments/0f8fad5bd9cb469fa16570867728950e")]
    [InlineData("shipments/{0f8fad5b-d9cb-469f-a165-70867728950e}")]
    [InlineData("trades/0f8fad5b-d9cb-469f-a165-70867728950e")]
    public void Anything_else_is_not_a_shipment_name(string? name)
    {
        Assert.False(ShipmentNames.TryParse(name, out var id));
        Assert.Equal(Guid.Empty, id);
    }

    /// <summary>
    /// A resource name has one spelling (AIP-122): Format never emits whitespace, so a name padded
    /// with it is not a shipment name. Guid.TryParseExact trims whitespace, so TryParse must check first.
    /// </summary>
    [Theory]
    [InlineData("shipments/ 0f8fad5b-d9cb-469f-a165-70867728950e")]
    [InlineData("shipments/0f8fad5b-d9cb-469f-a165-70867728950e ")]
    [InlineData("shipments/0f8fad5b-d9cb-469f-a165-70867728950e\n")]
    [InlineData("shipments/\t0f8fad5b-d9cb-469f-a165-70867728950e")]
    public void Whitespace_around_the_id_is_not_a_shipment_name(string name)
    {
        Assert.False(ShipmentNames.TryParse(name, out var id));
        Assert.Equal(Guid.Empty, id);
    }
}
