using EnergyTrade.ServiceDefaults;
using EnergyTrade.Shipments.Api;
using Google.Protobuf.WellKnownTypes;
using V1 = EnergyTrade.Shipments.V1;

namespace EnergyTrade.UnitTests;

/// <summary>AIP-134: an absent mask means the populated fields; "*" replaces everything.</summary>
[Trait("Category", "Unit")]
public sealed class UpdateMaskTests
{
    private static (FieldMask? Mask, FieldViolations Violations) Resolve(FieldMask? mask, V1.Shipment patch)
    {
        var violations = new FieldViolations();
        return (UpdateMask.Resolve(mask, patch, violations), violations);
    }

    [Fact]
    public void Without_a_mask_only_the_populated_fields_are_replaced()
    {
        var patch = new V1.Shipment
        {
            Name = "shipments/0f8fad5b-d9cb-469f-a165-70867728950e",
            Version = 3,
            Quantity = new V1.Quantity { Value = Proto.Dec("85000"), Unit = V1.Quantity.Types.Unit.MetricTonnes },
            Barrels = Proto.Dec("1"), // output only: never part of an implied mask
        };

        var (mask, violations) = Resolve(null, patch);

        Assert.Empty(violations.Items);
        Assert.Equal(["quantity.value", "quantity.unit"], mask!.Paths);
    }

    [Fact]
    public void An_empty_mask_is_the_same_as_no_mask()
    {
        var patch = new V1.Shipment { LoadPort = "Supsa", Value = new Google.Type.Money { CurrencyCode = "USD", Units = 1 } };

        Assert.Equal(["value", "load_port"], Resolve(new FieldMask(), patch).Mask!.Paths);
    }

    [Fact]
    public void A_patch_that_populates_nothing_replaces_nothing()
    {
        Assert.Empty(Resolve(null, new V1.Shipment { Name = "shipments/x", Version = 2 }).Mask!.Paths);
    }

    [Fact]
    public void A_star_replaces_every_field()
    {
        var (mask, violations) = Resolve(new FieldMask { Paths = { "*" } }, new V1.Shipment());

        Assert.Null(mask);
        Assert.Empty(violations.Items);
    }

    [Fact]
    public void Merging_an_implied_mask_keeps_what_the_patch_leaves_unset()
    {
        var stored = Proto.ValidShipment();
        stored.DeliveryDate = new Google.Type.Date { Year = 2020, Month = 3, Day = 20 };
        stored.LoadPort = "Ceyhan";
        var patch = new V1.Shipment { Quantity = new V1.Quantity { Value = Proto.Dec("85000"), Unit = V1.Quantity.Types.Unit.MetricTonnes } };

        var merged = stored.Clone();
        Resolve(null, patch).Mask!.Merge(patch, merged);

        Assert.Equal("85000", merged.Quantity.Value.Value);
        Assert.Equal(stored.Quantity.BarrelsPerTonne, merged.Quantity.BarrelsPerTonne);
        Assert.Equal(stored.Value, merged.Value);
        Assert.Equal(stored.DeliveryDate, merged.DeliveryDate);
        Assert.Equal("Ceyhan", merged.LoadPort);
    }

    [Theory]
    [InlineData("barrels", "OUTPUT_ONLY_FIELD")]
    [InlineData("colour", "UNKNOWN_FIELD")]
    public void A_mask_naming_what_cannot_be_updated_is_refused(string path, string reason)
    {
        var (_, violations) = Resolve(new FieldMask { Paths = { "quantity", path } }, new V1.Shipment());

        Assert.Equal(reason, Assert.Single(violations.Items).Reason);
    }

    [Fact]
    public void Every_input_field_of_the_proto_can_be_named_in_a_mask_and_none_that_is_output_only()
    {
        var inputFields = V1.Shipment.Descriptor.Fields.InDeclarationOrder().Select(f => f.Name)
            .Except(["name", "barrels", "tonnes", "state", "version", "create_time", "update_time", "cancel_reason"]);
        var mask = new FieldMask();
        mask.Paths.AddRange(inputFields);
        mask.Paths.AddRange(["quantity.value", "quantity.unit", "quantity.barrels_per_tonne"]);

        var (resolved, violations) = Resolve(mask, new V1.Shipment());

        Assert.Empty(violations.Items);
        Assert.Contains("buyer", resolved!.Paths);
    }
}
