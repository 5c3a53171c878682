using EnergyTrade.Contracts;
using EnergyTrade.ServiceDefaults;
using EnergyTrade.Shipments.Api;
using V1 = EnergyTrade.Shipments.V1;

namespace EnergyTrade.UnitTests;

[Trait("Category", "Unit")]
public sealed class ShipmentInputTests
{
    private const string Prefix = "shipment.";

    private static (ShipmentInput Input, FieldViolations Violations) Parse(V1.Shipment? shipment)
    {
        var violations = new FieldViolations();
        var input = ShipmentInput.Parse(shipment, Prefix, violations);
        return (input, violations);
    }

    private static V1.Shipment With(Action<V1.Shipment> change)
    {
        var shipment = Proto.ValidShipment();
        change(shipment);
        return shipment;
    }

    /// <summary>The single violation a one-rule change produces.</summary>
    private static Google.Rpc.BadRequest.Types.FieldViolation Single(Action<V1.Shipment> change) =>
        Assert.Single(Parse(With(change)).Violations.Items);

    [Fact]
    public void A_valid_shipment_has_no_violations_and_keeps_its_values()
    {
        var (input, violations) = Parse(Proto.ValidShipment());

        Assert.False(violations.Any);
        Assert.Empty(violations.Items);
        Assert.Equal("SOCAR", input.Shipper);
        Assert.Equal("AZ", input.ExporterCountry);
        Assert.Equal("BY", input.ImporterCountry);
        Assert.Equal("AZ", input.OriginCountry);
        Assert.Equal("Azeri Light", input.Grade);
        Assert.Equal(90_000m, input.QuantityValue);
        Assert.Equal(QuantityUnit.MetricTonnes, input.QuantityUnit);
        Assert.Equal(7.5m, input.BarrelsPerTonne);
        Assert.True(input.BarrelsPerTonneGiven);
        Assert.Equal(1234.56m, input.ValueUsd);
        Assert.Equal(new DateOnly(2020, 3, 4), input.LoadDate);
        Assert.Equal(new DateOnly(2020, 3, 12), input.DeliveryDate);
        Assert.Equal("Ceyhan", input.LoadPort);
        Assert.Equal("Odesa", input.DischargePort);
    }

    [Fact]
    public void Optional_fields_may_be_left_out()
    {
        var (input, violations) = Parse(With(s =>
        {
            s.Value = null;
            s.DeliveryDate = null;
            s.LoadPort = "";
            s.DischargePort = "   ";
            s.Quantity.BarrelsPerTonne = null;
        }));

        Assert.Empty(violations.Items);
        Assert.Null(input.ValueUsd);
        Assert.Null(input.DeliveryDate);
        Assert.Null(input.LoadPort);
        Assert.Null(input.DischargePort);
        Assert.Equal(7.40m, input.BarrelsPerTonne); // Azeri Light's standard factor: see StandardFactorTests
        Assert.False(input.BarrelsPerTonneGiven);
    }

    [Fact]
    public void Text_is_trimmed()
    {
        var (input, violations) = Parse(With(s => { s.Shipper = "  SOCAR  "; s.Grade = " Azeri Light "; }));

        Assert.Empty(violations.Items);
        Assert.Equal("SOCAR", input.Shipper);
        Assert.Equal("Azeri Light", input.Grade);
    }

    [Fact]
    public void Output_only_fields_are_ignored()
    {
        var (_, violations) = Parse(With(s =>
        {
            s.Name = "not even a resource name";
            s.Barrels = Proto.Dec("-1");
            s.Tonnes = Proto.Dec("garbage");
            s.Version = -7;
            s.State = V1.Shipment.Types.State.Cancelled;
            s.CreateTime = new Google.Protobuf.WellKnownTypes.Timestamp { Seconds = -1 };
        }));

        Assert.Empty(violations.Items);
    }

    [Theory]
    [InlineData("XX")]
    [InlineData("EU")]
    [InlineData("UK")]
    [InlineData("AZE")]
    public void Unknown_or_reserved_exporter_is_rejected(string code)
    {
        var violation = Single(s => s.ExporterCountry = code);

        Assert.Equal("shipment.exporter_country", violation.Field);
        Assert.Equal("UNKNOWN_COUNTRY", violation.Reason);
        Assert.DoesNotContain("upper case", violation.Description, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Lower_case_country_is_rejected_with_an_upper_case_hint()
    {
        var violation = Single(s => s.OriginCountry = "az");

        Assert.Equal("shipment.origin_country", violation.Field);
        Assert.Equal("UNKNOWN_COUNTRY", violation.Reason);
        Assert.Contains("Use upper case: AZ.", violation.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_importer_is_required()
    {
        var violation = Single(s => s.ImporterCountry = "");

        Assert.Equal("shipment.importer_country", violation.Field);
        Assert.Equal("REQUIRED", violation.Reason);
    }

    [Fact]
    public void Exporter_and_importer_must_differ()
    {
        var violation = Single(s => { s.ExporterCountry = "AZ"; s.ImporterCountry = "AZ"; });

        Assert.Equal("shipment.importer_country", violation.Field);
        Assert.Equal("SAME_COUNTRY", violation.Reason);
    }

    [Fact]
    public void Origin_may_equal_the_exporter()
    {
        Assert.Empty(Parse(With(s => { s.ExporterCountry = "AZ"; s.OriginCountry = "AZ"; })).Violations.Items);
    }

    [Fact]
    public void Missing_quantity_is_required()
    {
        var violation = Single(s => s.Quantity = null);

        Assert.Equal("shipment.quantity", violation.Field);
        Assert.Equal("REQUIRED", violation.Reason);
    }

    [Fact]
    public void Missing_quantity_value_is_required()
    {
        var violation = Single(s => s.Quantity.Value = null);

        Assert.Equal("shipment.quantity.value", violation.Field);
        Assert.Equal("REQUIRED", violation.Reason);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("0.000")]
    [InlineData("-1")]
    [InlineData("-90000")]
    public void Zero_or_negative_quantity_is_rejected(string value)
    {
        var violation = Single(s => s.Quantity.Value = Proto.Dec(value));

        Assert.Equal("shipment.quantity.value", violation.Field);
        Assert.Equal("NOT_POSITIVE", violation.Reason);
    }

    [Theory]
    [InlineData("ninety thousand")]
    [InlineData("1,000")]
    [InlineData("")]
    public void Quantity_that_is_not_a_number_is_rejected(string value)
    {
        var violation = Single(s => s.Quantity.Value = Proto.Dec(value));

        Assert.Equal("shipment.quantity.value", violation.Field);
        Assert.Equal("INVALID_DECIMAL", violation.Reason);
    }

    [Fact]
    public void Quantity_above_the_limit_is_rejected()
    {
        var violation = Single(s => s.Quantity.Value = Proto.Dec("1000000000.001"));

        Assert.Equal("shipment.quantity.value", violation.Field);
        Assert.Equal("TOO_LARGE", violation.Reason);
    }

    [Fact]
    public void Quantity_in_exponent_notation_is_accepted()
    {
        var (input, violations) = Parse(With(s => s.Quantity.Value = Proto.Dec("1.5e3")));

        Assert.Empty(violations.Items);
        Assert.Equal(1500m, input.QuantityValue);
    }

    [Fact]
    public void Missing_unit_is_required()
    {
        var violation = Single(s => s.Quantity.Unit = V1.Quantity.Types.Unit.Unspecified);

        Assert.Equal("shipment.quantity.unit", violation.Field);
        Assert.Equal("REQUIRED", violation.Reason);
    }

    [Theory]
    [InlineData("4.9")]
    [InlineData("4.999999")]
    [InlineData("10.1")]
    [InlineData("10.000001")]
    [InlineData("0")]
    [InlineData("-7.33")]
    public void Barrels_per_tonne_outside_5_to_10_is_rejected(string factor)
    {
        var violation = Single(s => s.Quantity.BarrelsPerTonne = Proto.Dec(factor));

        Assert.Equal("shipment.quantity.barrels_per_tonne", violation.Field);
        Assert.Equal("OUT_OF_RANGE", violation.Reason);
    }

    [Theory]
    [InlineData("5", "5")]
    [InlineData("10", "10")]
    [InlineData("7.33", "7.33")]
    [InlineData("10.000", "10")]
    public void Barrels_per_tonne_from_5_to_10_inclusive_is_accepted(string factor, string expected)
    {
        var (input, violations) = Parse(With(s => s.Quantity.BarrelsPerTonne = Proto.Dec(factor)));

        Assert.Empty(violations.Items);
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), input.BarrelsPerTonne);
        Assert.True(input.BarrelsPerTonneGiven);
    }

    [Fact]
    public void Barrels_per_tonne_with_more_than_6_places_is_rejected()
    {
        var violation = Single(s => s.Quantity.BarrelsPerTonne = Proto.Dec("7.3300001"));

        Assert.Equal("shipment.quantity.barrels_per_tonne", violation.Field);
        Assert.Equal("TOO_PRECISE", violation.Reason);
    }

    [Theory]
    [InlineData("EUR")]
    [InlineData("usd")]
    [InlineData("")]
    public void Non_usd_currency_is_rejected(string currency)
    {
        var violation = Single(s => s.Value.CurrencyCode = currency);

        Assert.Equal("shipment.value.currency_code", violation.Field);
        Assert.Equal("UNSUPPORTED_CURRENCY", violation.Reason);
    }

    [Theory]
    [InlineData(-1, 0)]
    [InlineData(0, -10_000_000)]
    [InlineData(-52, -600_000_000)]
    public void Negative_money_is_rejected(long units, int nanos)
    {
        var violation = Single(s => s.Value = Proto.Usd(units, nanos));

        Assert.Equal("shipment.value", violation.Field);
        Assert.Equal("NEGATIVE", violation.Reason);
    }

    [Theory]
    [InlineData(1, -500_000_000)]
    [InlineData(-1, 500_000_000)]
    [InlineData(0, 1_000_000_000)]
    public void Malformed_money_is_rejected(long units, int nanos)
    {
        var violation = Single(s => s.Value = Proto.Usd(units, nanos));

        Assert.Equal("shipment.value", violation.Field);
        Assert.Equal("INVALID_MONEY", violation.Reason);
    }

    [Theory]
    [InlineData(1, 5_000_000)]
    [InlineData(1234, 560_000_001)]
    [InlineData(0, 1)]
    public void Sub_cent_money_is_rejected(long units, int nanos)
    {
        var violation = Single(s => s.Value = Proto.Usd(units, nanos));

        Assert.Equal("shipment.value.nanos", violation.Field);
        Assert.Equal("TOO_PRECISE", violation.Reason);
    }

    [Fact]
    public void Zero_money_is_accepted()
    {
        var (input, violations) = Parse(With(s => s.Value = Proto.Usd(0, 0)));

        Assert.Empty(violations.Items);
        Assert.Equal(0m, input.ValueUsd);
    }

    [Fact]
    public void Money_above_the_limit_is_rejected()
    {
        var violation = Single(s => s.Value = Proto.Usd(1_000_000_000_000, 10_000_000));

        Assert.Equal("shipment.value", violation.Field);
        Assert.Equal("TOO_LARGE", violation.Reason);
    }

    [Fact]
    public void Missing_load_date_is_required()
    {
        var violation = Single(s => s.LoadDate = null);

        Assert.Equal("shipment.load_date", violation.Field);
        Assert.Equal("REQUIRED", violation.Reason);
    }

    [Theory]
    [InlineData(2021, 2, 30)]
    [InlineData(2021, 2, 29)]
    [InlineData(2020, 4, 31)]
    [InlineData(2020, 13, 1)]
    [InlineData(2020, 3, 0)]
    [InlineData(2020, 0, 4)]
    [InlineData(0, 3, 4)]
    public void Impossible_or_partial_load_date_is_rejected(int year, int month, int day)
    {
        var violation = Single(s => { s.LoadDate = Proto.Date(year, month, day); s.DeliveryDate = null; });

        Assert.Equal("shipment.load_date", violation.Field);
        Assert.Equal("INVALID_DATE", violation.Reason);
    }

    [Fact]
    public void Leap_day_is_a_real_date()
    {
        var (input, violations) = Parse(With(s => { s.LoadDate = Proto.Date(2020, 2, 29); s.DeliveryDate = null; }));

        Assert.Empty(violations.Items);
        Assert.Equal(new DateOnly(2020, 2, 29), input.LoadDate);
    }

    [Theory]
    [InlineData(2021, 2, 30)]
    [InlineData(2020, 3, 0)]
    public void Impossible_or_partial_delivery_date_is_rejected(int year, int month, int day)
    {
        var violation = Single(s => s.DeliveryDate = Proto.Date(year, month, day));

        Assert.Equal("shipment.delivery_date", violation.Field);
        Assert.Equal("INVALID_DATE", violation.Reason);
    }

    [Fact]
    public void Delivery_before_load_is_rejected()
    {
        var violation = Single(s => { s.LoadDate = Proto.Date(2020, 3, 4); s.DeliveryDate = Proto.Date(2020, 3, 3); });

        Assert.Equal("shipment.delivery_date", violation.Field);
        Assert.Equal("DELIVERY_BEFORE_LOAD", violation.Reason);
    }

    [Fact]
    public void Delivery_on_the_load_day_is_accepted()
    {
        var (input, violations) = Parse(With(s => { s.LoadDate = Proto.Date(2020, 3, 4); s.DeliveryDate = Proto.Date(2020, 3, 4); }));

        Assert.Empty(violations.Items);
        Assert.Equal(new DateOnly(2020, 3, 4), input.DeliveryDate);
    }

    public static TheoryData<string> TextFields => new() { "shipper", "grade", "load_port", "discharge_port" };

    private static void SetText(V1.Shipment s, string field, string text)
    {
        switch (field)
        {
            case "shipper": s.Shipper = text; break;
            case "grade": s.Grade = text; break;
            case "load_port": s.LoadPort = text; break;
            case "discharge_port": s.DischargePort = text; break;
            default: throw new ArgumentOutOfRangeException(nameof(field), field, null);
        }
    }

    [Theory]
    [MemberData(nameof(TextFields))]
    public void Text_of_129_characters_is_too_long(string field)
    {
        var violation = Single(s => SetText(s, field, new string('x', 129)));

        Assert.Equal("shipment." + field, violation.Field);
        Assert.Equal("TOO_LONG", violation.Reason);
    }

    [Theory]
    [MemberData(nameof(TextFields))]
    public void Text_of_128_characters_is_accepted(string field)
    {
        Assert.Empty(Parse(With(s => SetText(s, field, new string('x', 128)))).Violations.Items);
    }

    [Theory]
    [MemberData(nameof(TextFields))]
    public void Text_with_control_characters_is_rejected(string field)
    {
        var violation = Single(s => SetText(s, field, "Ceyhan\u0000Terminal"));

        Assert.Equal("shipment." + field, violation.Field);
        Assert.Equal("INVALID_CHARACTERS", violation.Reason);
    }

    [Theory]
    [InlineData("shipper")]
    [InlineData("grade")]
    public void Required_text_that_is_blank_is_rejected(string field)
    {
        var violation = Single(s => SetText(s, field, " \t "));

        Assert.Equal("shipment." + field, violation.Field);
        Assert.Equal("REQUIRED", violation.Reason);
    }

    [Fact]
    public void Every_problem_is_reported_at_once_with_its_field_path()
    {
        var shipment = new V1.Shipment
        {
            Shipper = "",
            ExporterCountry = "XX",
            ImporterCountry = "az",
            OriginCountry = "EU",
            Grade = new string('g', 129),
            Quantity = new V1.Quantity { Value = Proto.Dec("-5"), Unit = V1.Quantity.Types.Unit.Unspecified, BarrelsPerTonne = Proto.Dec("10.1") },
            Value = new Google.Type.Money { CurrencyCode = "EUR", Units = 10 },
            LoadDate = Proto.Date(2021, 2, 30),
            DeliveryDate = Proto.Date(2021, 3, 0),
            LoadPort = "Supsa\u0007",
            DischargePort = new string('p', 200),
        };

        var (_, violations) = Parse(shipment);

        Assert.Equal(
            new[]
            {
                "shipment.delivery_date INVALID_DATE",
                "shipment.discharge_port TOO_LONG",
                "shipment.exporter_country UNKNOWN_COUNTRY",
                "shipment.grade TOO_LONG",
                "shipment.importer_country UNKNOWN_COUNTRY",
                "shipment.load_date INVALID_DATE",
                "shipment.load_port INVALID_CHARACTERS",
                "shipment.origin_country UNKNOWN_COUNTRY",
                "shipment.quantity.barrels_per_tonne OUT_OF_RANGE",
                "shipment.quantity.unit REQUIRED",
                "shipment.quantity.value NOT_POSITIVE",
                "shipment.shipper REQUIRED",
                "shipment.value.currency_code UNSUPPORTED_CURRENCY",
            },
            Proto.Keys(violations));
    }

    [Fact]
    public void Same_country_and_delivery_before_load_are_reported_together_with_money_problems()
    {
        var (_, violations) = Parse(With(s =>
        {
            s.ImporterCountry = s.ExporterCountry;
            s.Value = Proto.Usd(5, -1);
            s.DeliveryDate = Proto.Date(2020, 2, 1);
            s.Quantity.Value = null;
        }));

        Assert.Equal(
            new[]
            {
                "shipment.delivery_date DELIVERY_BEFORE_LOAD",
                "shipment.importer_country SAME_COUNTRY",
                "shipment.quantity.value REQUIRED",
                "shipment.value INVALID_MONEY",
            },
            Proto.Keys(violations));
    }

    [Fact]
    public void A_missing_shipment_reports_every_required_field()
    {
        var (_, violations) = Parse(null);

        Assert.Equal(
            new[]
            {
                "shipment.exporter_country REQUIRED",
                "shipment.grade REQUIRED",
                "shipment.importer_country REQUIRED",
                "shipment.load_date REQUIRED",
                "shipment.quantity REQUIRED",
                "shipment.shipper REQUIRED",
            },
            Proto.Keys(violations));
    }

    [Fact]
    public void The_prefix_is_applied_to_every_field()
    {
        var violations = new FieldViolations();
        ShipmentInput.Parse(With(s => { s.ExporterCountry = "XX"; s.Quantity.Unit = V1.Quantity.Types.Unit.Unspecified; }), "", violations);

        Assert.Equal(new[] { "exporter_country UNKNOWN_COUNTRY", "quantity.unit REQUIRED" }, Proto.Keys(violations));
    }

    [Theory]
    // Each was acknowledged once and then refused by Trade for ever.
    [InlineData("0.003", V1.Quantity.Types.Unit.Barrels, "TOO_SMALL")]
    [InlineData("0.0004", V1.Quantity.Types.Unit.Barrels, "TOO_SMALL")]
    [InlineData("200000000", V1.Quantity.Types.Unit.MetricTonnes, "TOO_LARGE")]
    [InlineData("0.000001", V1.Quantity.Types.Unit.MetricTonnes, "TOO_SMALL")]
    public void A_quantity_Trade_could_not_count_is_refused_on_the_field_the_user_typed(string value, V1.Quantity.Types.Unit unit, string reason)
    {
        var violation = Single(s =>
        {
            s.Quantity = new V1.Quantity { Value = Proto.Dec(value), Unit = unit };
        });

        Assert.Equal("shipment.quantity.value", violation.Field);
        Assert.Equal(reason, violation.Reason);
        Assert.Contains("bbl", violation.Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\0")]
    [InlineData("\u0007")]
    [InlineData("\u009b")]
    public void A_control_character_in_any_text_field_is_refused(string control)
    {
        foreach (var (field, set) in new (string, Action<V1.Shipment, string>)[]
        {
            ("shipper", (s, v) => s.Shipper = v), ("grade", (s, v) => s.Grade = v),
            ("load_port", (s, v) => s.LoadPort = v), ("discharge_port", (s, v) => s.DischargePort = v),
        })
        {
            var violation = Single(s => set(s, "Su" + control + "psa"));

            Assert.Equal(("shipment." + field, "INVALID_CHARACTERS"), (violation.Field, violation.Reason));
        }
    }

    [Fact]
    public void Control_characters_are_refused_even_where_trimming_would_remove_them()
    {
        Assert.Equal("INVALID_CHARACTERS", Single(s => s.Shipper = "SOCAR\n").Reason);
    }

    [Fact]
    public void Company_grade_and_port_names_are_kept_trimmed_with_runs_of_spaces_collapsed()
    {
        var (input, violations) = Parse(With(s =>
        {
            s.Shipper = "  SOCAR   Trading ";
            s.Buyer = "Mozyr    Refinery";
            s.Grade = " Azeri  Light";
            s.LoadPort = "Supsa ";
            s.DischargePort = "  ";
        }));

        Assert.False(violations.Any);
        Assert.Equal("SOCAR Trading", input.Shipper);
        Assert.Equal("Mozyr Refinery", input.Buyer);
        Assert.Equal("Azeri Light", input.Grade);
        Assert.Equal("Supsa", input.LoadPort);
        Assert.Null(input.DischargePort);
    }

    [Fact]
    public void The_buyer_is_optional_and_follows_the_rules_of_every_name()
    {
        Assert.Null(Parse(Proto.ValidShipment()).Input.Buyer);

        var tooLong = Single(s => s.Buyer = new string('B', 129));
        Assert.Equal("shipment.buyer", tooLong.Field);
        Assert.Equal("TOO_LONG", tooLong.Reason);

        var control = Single(s => s.Buyer = "Naftan\0");
        Assert.Equal("shipment.buyer", control.Field);
        Assert.Equal("INVALID_CHARACTERS", control.Reason);
    }
}
