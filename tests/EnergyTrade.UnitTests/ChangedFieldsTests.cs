using EnergyTrade.Shipments.Api;
using Google.Protobuf.WellKnownTypes;
using V1 = EnergyTrade.Shipments.V1;

namespace EnergyTrade.UnitTests;

/// <summary>What a revision says a version changed: proto paths of Shipment, into the quantity, in field-number order.</summary>
[Trait("Category", "Unit")]
public sealed class ChangedFieldsTests
{
    /// <summary>A stored shipment as ShipmentMapper answers it: output fields set, barrels at 3 places.</summary>
    private static V1.Shipment Stored()
    {
        var s = Proto.ValidShipment();
        s.Name = "shipments/0f8fad5b-d9cb-469f-a165-70867728950e";
        s.Barrels = Proto.Dec("675000.000");
        s.Tonnes = Proto.Dec("90000.000");
        s.State = V1.Shipment.Types.State.Active;
        s.Version = 1;
        s.CreateTime = s.UpdateTime = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
        return s;
    }

    [Fact]
    public void An_amended_quantity_lists_the_value_and_the_barrels_and_tonnes_it_converts_to()
    {
        var before = Stored();
        var after = before.Clone();
        after.Quantity.Value = Proto.Dec("85000");
        after.Barrels = Proto.Dec("637500.000");
        after.Tonnes = Proto.Dec("85000.000");
        after.Version = 2;
        after.UpdateTime = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow);

        Assert.Equal(["quantity.value", "barrels", "tonnes"], ChangedFields.Between(before, after));
    }

    [Fact]
    public void A_create_lists_every_populated_field_but_the_identity_and_the_times()
    {
        var created = Stored();
        created.Buyer = "Naftan";

        Assert.Equal(
            ["shipper", "exporter_country", "importer_country", "origin_country", "grade", "quantity.value", "quantity.unit",
             "quantity.barrels_per_tonne", "barrels", "tonnes", "value", "load_date", "delivery_date", "load_port", "discharge_port", "state", "buyer"],
            ChangedFields.Between(null, created));
    }

    [Fact]
    public void A_cancel_lists_the_state_and_the_reason()
    {
        var before = Stored();
        var after = before.Clone();
        after.State = V1.Shipment.Types.State.Cancelled;
        after.CancelReason = "booked twice";

        Assert.Equal(["state", "cancel_reason"], ChangedFields.Between(before, after));
    }

    [Fact]
    public void Figures_are_compared_by_value_not_by_their_spelling()
    {
        var before = Stored();
        var after = before.Clone();
        after.Barrels = Proto.Dec("675000");
        after.Quantity.Value = Proto.Dec("90000.0");

        Assert.Empty(ChangedFields.Between(before, after));
    }

    [Fact]
    public void Removing_an_optional_value_or_date_is_a_change_and_so_is_a_new_day()
    {
        var before = Stored();
        var after = before.Clone();
        after.Value = null;
        after.DeliveryDate = null;
        after.LoadDate = Proto.Date(2020, 3, 5);
        after.Quantity.BarrelsPerTonne = null;

        Assert.Equal(["quantity.barrels_per_tonne", "value", "load_date", "delivery_date"], ChangedFields.Between(before, after));
    }

    [Fact]
    public void Only_the_version_and_update_time_differing_is_no_change()
    {
        var before = Stored();
        var after = before.Clone();
        after.Version = 7;
        after.UpdateTime = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow);

        Assert.Empty(ChangedFields.Between(before, after));
    }
}
