using EnergyTrade.Contracts;
using EnergyTrade.Contracts.Grades;
using EnergyTrade.ServiceDefaults;
using EnergyTrade.Shipments.Data;
using V1 = EnergyTrade.Shipments.V1;

namespace EnergyTrade.Shipments.Api;

/// <summary>The mutable fields of a shipment after validation: every value checked, units resolved.</summary>
public sealed record ShipmentInput
{
    public required string Shipper { get; init; }
    public required string? Buyer { get; init; }
    public required string ExporterCountry { get; init; }
    public required string ImporterCountry { get; init; }
    /// <summary>Null when the origin was not disclosed.</summary>
    public string? OriginCountry { get; init; }
    public required string Grade { get; init; }
    public required decimal QuantityValue { get; init; }
    public required QuantityUnit QuantityUnit { get; init; }
    /// <summary>The factor given, else the grade's standard factor (<see cref="GradeCatalogue.StandardFactor"/>).</summary>
    public required decimal BarrelsPerTonne { get; init; }
    public required bool BarrelsPerTonneGiven { get; init; }
    public required decimal? ValueUsd { get; init; }
    public required DateOnly LoadDate { get; init; }
    public required DateOnly? DeliveryDate { get; init; }
    public required string? LoadPort { get; init; }
    public required string? DischargePort { get; init; }

    /// <summary>
    /// Validates a Shipment message, reporting every violation at once under <paramref name="prefix"/>
    /// (e.g. "shipment."). What the wire format decides (presence, decimal syntax, currency, real
    /// dates) is checked here; what makes a shipment countable is the rule book's
    /// (<see cref="ShipmentRules"/>), reported on the field the user typed. Output-only fields are
    /// ignored, as AIP-203 asks.
    /// </summary>
    public static ShipmentInput Parse(V1.Shipment? shipment, string prefix, FieldViolations violations)
    {
        shipment ??= new V1.Shipment();
        var report = new Reporter(prefix, violations);
        var shipper = Text(SnapshotField.Shipper, shipment.Shipper, required: true, report);
        var buyer = Text(SnapshotField.Buyer, shipment.Buyer, required: false, report);
        var exporter = Country(SnapshotField.ExporterCountry, shipment.ExporterCountry, report);
        var importer = Country(SnapshotField.ImporterCountry, shipment.ImporterCountry, report);
        // Unset when the origin was not disclosed.
        var origin = shipment.OriginCountry.Length == 0 ? null : Country(SnapshotField.OriginCountry, shipment.OriginCountry, report);
        if (exporter is not null && importer is not null) report.Add(ShipmentRules.DistinctCountries(exporter, importer));
        var grade = Text(SnapshotField.Grade, shipment.Grade, required: true, report);
        var (quantity, unit, factor, factorGiven) = Quantity(shipment.Quantity, GradeCatalogue.Standard.StandardFactor(grade ?? ""), report);
        var value = Value(shipment.Value, report);

        DateOnly loadDate = default;
        if (shipment.LoadDate is null)
        {
            violations.Add(prefix + "load_date", "is required.", "REQUIRED");
        }
        else if (!ProtoConvert.TryGetDate(shipment.LoadDate, out loadDate))
        {
            violations.Add(prefix + "load_date", $"{Describe(shipment.LoadDate)} is not a real calendar date (year, month and day are all required).", "INVALID_DATE");
        }
        DateOnly? deliveryDate = null;
        if (shipment.DeliveryDate is not null)
        {
            if (!ProtoConvert.TryGetDate(shipment.DeliveryDate, out var delivered))
            {
                violations.Add(prefix + "delivery_date", $"{Describe(shipment.DeliveryDate)} is not a real calendar date.", "INVALID_DATE");
            }
            else
            {
                deliveryDate = delivered;
                if (loadDate != default) report.Add(ShipmentRules.Delivery(loadDate, delivered));
            }
        }
        var loadPort = Text(SnapshotField.LoadPort, shipment.LoadPort, required: false, report);
        var dischargePort = Text(SnapshotField.DischargePort, shipment.DischargePort, required: false, report);

        return new ShipmentInput
        {
            Shipper = shipper ?? "",
            Buyer = buyer,
            ExporterCountry = exporter ?? "",
            ImporterCountry = importer ?? "",
            OriginCountry = origin,
            Grade = grade ?? "",
            QuantityValue = quantity,
            QuantityUnit = unit,
            BarrelsPerTonne = factor,
            BarrelsPerTonneGiven = factorGiven,
            ValueUsd = value,
            LoadDate = loadDate,
            DeliveryDate = deliveryDate,
            LoadPort = loadPort,
            DischargePort = dischargePort,
        };
    }

    /// <summary>
    /// Reports what the rule book finds in the snapshot about to be stored and published, on the
    /// request fields it came from. After <see cref="Parse"/> this finds nothing; it is what makes
    /// "acknowledged means countable" hold by construction rather than by keeping two lists in step.
    /// </summary>
    public static void Check(ShipmentSnapshot snapshot, string prefix, FieldViolations violations)
    {
        var report = new Reporter(prefix, violations);
        foreach (var violation in ShipmentRules.Check(snapshot)) report.Add(violation);
    }

    /// <summary>Where a rule's field was typed in the request, relative to the Shipment message.</summary>
    private static string PathOf(RuleViolation violation) => violation.Field switch
    {
        SnapshotField.Shipper => "shipper",
        SnapshotField.Buyer => "buyer",
        SnapshotField.ExporterCountry => "exporter_country",
        SnapshotField.ImporterCountry => "importer_country",
        SnapshotField.OriginCountry => "origin_country",
        SnapshotField.Grade => "grade",
        // Barrels and tonnes are derived: the user typed the quantity they come from.
        SnapshotField.QuantityValue or SnapshotField.Barrels or SnapshotField.Tonnes => "quantity.value",
        SnapshotField.QuantityUnit => "quantity.unit",
        SnapshotField.BarrelsPerTonne => "quantity.barrels_per_tonne",
        SnapshotField.ValueUsd when violation.Reason == "TOO_PRECISE" => "value.nanos",
        SnapshotField.ValueUsd => "value",
        SnapshotField.LoadDate => "load_date",
        SnapshotField.DeliveryDate => "delivery_date",
        SnapshotField.LoadPort => "load_port",
        SnapshotField.DischargePort => "discharge_port",
        _ => throw new InvalidOperationException($"The rule book named {violation.Field}, which no request sets: {violation.Description}"),
    };

    private sealed class Reporter(string prefix, FieldViolations violations)
    {
        public void Add(RuleViolation? violation)
        {
            if (violation is not null) violations.Add(prefix + PathOf(violation), violation.Description, violation.Reason);
        }

        public void Add(string path, string description, string reason) => violations.Add(prefix + path, description, reason);
    }

    private static string? Country(SnapshotField field, string code, Reporter report)
    {
        var violation = ShipmentRules.Country(field, code);
        report.Add(violation);
        return violation is null ? code : null;
    }

    /// <param name="standardFactor">What converts the quantity when it gives no factor: the grade's.</param>
    private static (decimal Value, QuantityUnit Unit, decimal Factor, bool FactorGiven) Quantity(V1.Quantity? quantity, decimal standardFactor, Reporter report)
    {
        if (quantity is null)
        {
            report.Add("quantity", "is required.", "REQUIRED");
            return (0, QuantityUnit.Barrels, standardFactor, false);
        }

        decimal value = 0;
        var valueSound = false;
        if (quantity.Value is null)
        {
            report.Add("quantity.value", "is required.", "REQUIRED");
        }
        else if (!ProtoConvert.TryParseDecimal(quantity.Value, out value))
        {
            report.Add("quantity.value", $"'{Truncate(quantity.Value.Value)}' is not a decimal number.", "INVALID_DECIMAL");
        }
        else
        {
            var problem = ShipmentRules.QuantityValue(value);
            report.Add(problem);
            valueSound = problem is null;
        }

        var unit = quantity.Unit switch
        {
            V1.Quantity.Types.Unit.Barrels => QuantityUnit.Barrels,
            V1.Quantity.Types.Unit.MetricTonnes => QuantityUnit.MetricTonnes,
            _ => (QuantityUnit)0,
        };
        if (unit == 0)
        {
            report.Add("quantity.unit", "is required: UNIT_BARRELS or UNIT_METRIC_TONNES.", "REQUIRED");
        }

        var factor = standardFactor;
        var factorGiven = quantity.BarrelsPerTonne is not null;
        var factorSound = true;
        if (factorGiven)
        {
            if (!ProtoConvert.TryParseDecimal(quantity.BarrelsPerTonne, out factor))
            {
                report.Add("quantity.barrels_per_tonne", $"'{Truncate(quantity.BarrelsPerTonne!.Value)}' is not a decimal number.", "INVALID_DECIMAL");
                factorSound = false;
            }
            else
            {
                var problem = ShipmentRules.BarrelsPerTonne(factor);
                report.Add(problem);
                factorSound = problem is null;
            }
        }

        // Only a quantity whose parts are sound can be converted and judged as barrels and tonnes.
        if (valueSound && factorSound && unit != 0) report.Add(ShipmentRules.Converted(value, unit, factor));
        return (value, unit, factorGiven ? factor : standardFactor, factorGiven);
    }

    private static decimal? Value(Google.Type.Money? money, Reporter report)
    {
        if (money is null) return null;
        if (money.CurrencyCode != ProtoConvert.Usd)
        {
            report.Add("value.currency_code", $"must be USD (got '{Truncate(money.CurrencyCode)}').", "UNSUPPORTED_CURRENCY");
            return null;
        }
        if (!ProtoConvert.IsWellFormed(money))
        {
            report.Add("value", "units and nanos must have the same sign and |nanos| < 1,000,000,000.", "INVALID_MONEY");
            return null;
        }
        var usd = ProtoConvert.ToDecimal(money);
        var violation = ShipmentRules.Value(usd);
        report.Add(violation);
        return violation is null ? usd : null;
    }

    private static string? Text(SnapshotField field, string text, bool required, Reporter report)
    {
        var violation = ShipmentRules.Text(field, text, required);
        report.Add(violation);
        return violation is null && !string.IsNullOrWhiteSpace(text) ? Names.Canonical(text) : null;
    }

    private static string Describe(Google.Type.Date d) => $"{d.Year:D4}-{d.Month:D2}-{d.Day:D2}";

    private static string Truncate(string s) => s.Length <= 16 ? s : s[..16] + "…";
}
