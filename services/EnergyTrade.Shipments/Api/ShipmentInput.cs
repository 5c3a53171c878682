using EnergyTrade.Contracts;
using EnergyTrade.ServiceDefaults;
using EnergyTrade.Shipments.Data;
using V1 = EnergyTrade.Shipments.V1;

namespace EnergyTrade.Shipments.Api;

/// <summary>The mutable fields of a shipment after validation: every value checked, units resolved.</summary>
public sealed record ShipmentInput
{
    public required string Shipper { get; init; }
    public required string ExporterCountry { get; init; }
    public required string ImporterCountry { get; init; }
    public required string OriginCountry { get; init; }
    public required string Grade { get; init; }
    public required decimal QuantityValue { get; init; }
    public required QuantityUnit QuantityUnit { get; init; }
    public required decimal BarrelsPerTonne { get; init; }
    public required bool BarrelsPerTonneGiven { get; init; }
    public required decimal? ValueUsd { get; init; }
    public required DateOnly LoadDate { get; init; }
    public required DateOnly? DeliveryDate { get; init; }
    public required string? LoadPort { get; init; }
    public required string? DischargePort { get; init; }

    /// <summary>
    /// Validates a Shipment message, reporting every violation at once under <paramref name="prefix"/>
    /// (e.g. "shipment."). Output-only fields are ignored, as AIP-203 asks.
    /// </summary>
    public static ShipmentInput Parse(V1.Shipment? shipment, string prefix, FieldViolations violations)
    {
        shipment ??= new V1.Shipment();
        var shipper = RequiredText(shipment.Shipper, prefix + "shipper", violations);
        var exporter = Country(shipment.ExporterCountry, prefix + "exporter_country", violations);
        var importer = Country(shipment.ImporterCountry, prefix + "importer_country", violations);
        var origin = Country(shipment.OriginCountry, prefix + "origin_country", violations);
        if (exporter is not null && exporter == importer)
        {
            violations.Add(prefix + "importer_country", $"must differ from exporter_country ({exporter}): a country does not trade with itself.", "SAME_COUNTRY");
        }
        var grade = RequiredText(shipment.Grade, prefix + "grade", violations);
        var (quantity, unit, factor, factorGiven) = Quantity(shipment.Quantity, prefix + "quantity", violations);
        var value = Value(shipment.Value, prefix + "value", violations);

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
            else if (loadDate != default && delivered < loadDate)
            {
                violations.Add(prefix + "delivery_date", $"{delivered:yyyy-MM-dd} is before load_date {loadDate:yyyy-MM-dd}.", "DELIVERY_BEFORE_LOAD");
            }
            else
            {
                deliveryDate = delivered;
            }
        }
        var loadPort = OptionalText(shipment.LoadPort, prefix + "load_port", violations);
        var dischargePort = OptionalText(shipment.DischargePort, prefix + "discharge_port", violations);

        return new ShipmentInput
        {
            Shipper = shipper ?? "",
            ExporterCountry = exporter ?? "",
            ImporterCountry = importer ?? "",
            OriginCountry = origin ?? "",
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

    private static string? Country(string code, string field, FieldViolations violations)
    {
        if (string.IsNullOrEmpty(code))
        {
            violations.Add(field, "is required: an ISO 3166-1 alpha-2 code such as AZ.", "REQUIRED");
            return null;
        }
        if (!CountryCodes.IsAssigned(code))
        {
            var hint = CountryCodes.IsAssigned(code.ToUpperInvariant()) ? $" Use upper case: {code.ToUpperInvariant()}." : "";
            violations.Add(field, $"'{Truncate(code)}' is not an officially assigned ISO 3166-1 alpha-2 code.{hint}", "UNKNOWN_COUNTRY");
            return null;
        }
        return code;
    }

    private static (decimal Value, QuantityUnit Unit, decimal Factor, bool FactorGiven) Quantity(V1.Quantity? quantity, string field, FieldViolations violations)
    {
        if (quantity is null)
        {
            violations.Add(field, "is required.", "REQUIRED");
            return (0, QuantityUnit.Barrels, Limits.DefaultBarrelsPerTonne, false);
        }

        decimal value = 0;
        if (quantity.Value is null)
        {
            violations.Add(field + ".value", "is required.", "REQUIRED");
        }
        else if (!ProtoConvert.TryParseDecimal(quantity.Value, out value))
        {
            violations.Add(field + ".value", $"'{Truncate(quantity.Value.Value)}' is not a decimal number.", "INVALID_DECIMAL");
        }
        else if (value <= 0)
        {
            violations.Add(field + ".value", $"must be greater than zero (got {value}).", "NOT_POSITIVE");
        }
        else if (value > Limits.MaxQuantity)
        {
            violations.Add(field + ".value", $"must be at most {Limits.MaxQuantity:N0}.", "TOO_LARGE");
        }
        else if (value.Scale > 6)
        {
            violations.Add(field + ".value", "has more than 6 decimal places.", "TOO_PRECISE");
        }

        var unit = quantity.Unit switch
        {
            V1.Quantity.Types.Unit.Barrels => QuantityUnit.Barrels,
            V1.Quantity.Types.Unit.MetricTonnes => QuantityUnit.MetricTonnes,
            _ => (QuantityUnit)0,
        };
        if (unit == 0)
        {
            violations.Add(field + ".unit", "is required: UNIT_BARRELS or UNIT_METRIC_TONNES.", "REQUIRED");
        }

        var factor = Limits.DefaultBarrelsPerTonne;
        var factorGiven = quantity.BarrelsPerTonne is not null;
        if (factorGiven)
        {
            if (!ProtoConvert.TryParseDecimal(quantity.BarrelsPerTonne, out factor))
            {
                violations.Add(field + ".barrels_per_tonne", $"'{Truncate(quantity.BarrelsPerTonne!.Value)}' is not a decimal number.", "INVALID_DECIMAL");
            }
            else if (factor < Limits.MinBarrelsPerTonne || factor > Limits.MaxBarrelsPerTonne)
            {
                violations.Add(field + ".barrels_per_tonne", $"must be within {Limits.MinBarrelsPerTonne}–{Limits.MaxBarrelsPerTonne} (got {factor}); crude oil lies around 7.33.", "OUT_OF_RANGE");
            }
            else if (factor.Scale > 6)
            {
                violations.Add(field + ".barrels_per_tonne", "has more than 6 decimal places.", "TOO_PRECISE");
            }
        }
        return (value, unit, factorGiven ? factor : Limits.DefaultBarrelsPerTonne, factorGiven);
    }

    private static decimal? Value(Google.Type.Money? money, string field, FieldViolations violations)
    {
        if (money is null) return null;
        if (money.CurrencyCode != ProtoConvert.Usd)
        {
            violations.Add(field + ".currency_code", $"must be USD (got '{Truncate(money.CurrencyCode)}').", "UNSUPPORTED_CURRENCY");
            return null;
        }
        if (!ProtoConvert.IsWellFormed(money))
        {
            violations.Add(field, "units and nanos must have the same sign and |nanos| < 1,000,000,000.", "INVALID_MONEY");
            return null;
        }
        var usd = ProtoConvert.ToDecimal(money);
        if (usd < 0)
        {
            violations.Add(field, $"must not be negative (got {usd}).", "NEGATIVE");
            return null;
        }
        if (usd > Limits.MaxValueUsd)
        {
            violations.Add(field, $"must be at most {Limits.MaxValueUsd:N0} USD.", "TOO_LARGE");
            return null;
        }
        if (money.Nanos % 10_000_000 != 0)
        {
            violations.Add(field + ".nanos", "must be whole cents: USD has 2 minor units.", "TOO_PRECISE");
            return null;
        }
        return usd;
    }

    private static string? RequiredText(string text, string field, FieldViolations violations)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            violations.Add(field, "is required.", "REQUIRED");
            return null;
        }
        return OptionalText(text, field, violations);
    }

    private static string? OptionalText(string text, string field, FieldViolations violations)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var trimmed = text.Trim();
        if (trimmed.Length > ShipmentLimits.NameLength)
        {
            violations.Add(field, $"must be at most {ShipmentLimits.NameLength} characters (got {trimmed.Length}).", "TOO_LONG");
            return null;
        }
        if (trimmed.Any(char.IsControl))
        {
            violations.Add(field, "must not contain control characters.", "INVALID_CHARACTERS");
            return null;
        }
        return trimmed;
    }

    private static string Describe(Google.Type.Date d) => $"{d.Year:D4}-{d.Month:D2}-{d.Day:D2}";

    private static string Truncate(string s) => s.Length <= 16 ? s : s[..16] + "…";
}
