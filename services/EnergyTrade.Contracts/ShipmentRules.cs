using System.Globalization;

namespace EnergyTrade.Contracts;

/// <summary>A snapshot field a rule can name.</summary>
public enum SnapshotField
{
    ShipmentId,
    Version,
    State,
    Shipper,
    Buyer,
    ExporterCountry,
    ImporterCountry,
    OriginCountry,
    Grade,
    QuantityValue,
    QuantityUnit,
    BarrelsPerTonne,
    Barrels,
    Tonnes,
    ValueUsd,
    LoadDate,
    DeliveryDate,
    LoadPort,
    DischargePort,
    CancelReason,
}

/// <summary>One broken rule: the field, a machine-readable reason (AIP-193 style) and a sentence saying what is wrong.</summary>
public sealed record RuleViolation(SnapshotField Field, string Reason, string Description)
{
    public override string ToString() => $"{Field}: {Description}";
}

/// <summary>
/// The rule book: what makes a shipment one Trade can count. Shipments applies it to the
/// normalised snapshot it is about to publish (so whatever it acknowledges, Trade accepts by
/// construction) and Trade applies it to every snapshot it receives (so a forged or corrupted
/// message can never reach the totals). The per-field rules are public so the API can report them
/// on the field the user typed, in the same words.
/// </summary>
public static class ShipmentRules
{
    /// <summary>
    /// Every broken rule of a snapshot. A cancelled snapshot only withdraws a contribution, so only
    /// its identity and its reason are checked: a shipment recorded under older rules can always be
    /// cancelled.
    /// </summary>
    public static IReadOnlyList<RuleViolation> Check(ShipmentSnapshot s)
    {
        var found = new List<RuleViolation>();
        if (s.ShipmentId == Guid.Empty) found.Add(new(SnapshotField.ShipmentId, "REQUIRED", "is empty."));
        if (s.Version < 1) found.Add(new(SnapshotField.Version, "OUT_OF_RANGE", $"{s.Version} is below 1."));
        if (!Enum.IsDefined(s.State)) found.Add(new(SnapshotField.State, "INVALID_ENUM", $"{(int)s.State} is not a state."));
        Add(found, Text(SnapshotField.CancelReason, s.CancelReason, required: false, Limits.ReasonLength));
        if (s.State != ShipmentState.Active) return found;

        Add(found, Text(SnapshotField.Shipper, s.Shipper, required: true));
        Add(found, Text(SnapshotField.Buyer, s.Buyer, required: false));
        Add(found, Text(SnapshotField.Grade, s.Grade, required: true));
        Add(found, Text(SnapshotField.LoadPort, s.LoadPort, required: false));
        Add(found, Text(SnapshotField.DischargePort, s.DischargePort, required: false));
        var exporter = Country(SnapshotField.ExporterCountry, s.ExporterCountry);
        var importer = Country(SnapshotField.ImporterCountry, s.ImporterCountry);
        Add(found, exporter);
        Add(found, importer);
        // An undisclosed origin is a fact about the cargo, not a gap: it is counted as such.
        if (s.OriginCountry is not null) Add(found, Country(SnapshotField.OriginCountry, s.OriginCountry));
        if (exporter is null && importer is null) Add(found, DistinctCountries(s.ExporterCountry, s.ImporterCountry));

        Quantity(s, found);
        if (s.ValueUsd is { } usd) Add(found, Value(usd));
        Add(found, Delivery(s.LoadDate, s.DeliveryDate));
        return found;
    }

    /// <summary>Names: required or not, at most <paramref name="maxLength"/> characters, and never a control character (C0, DEL or C1), which PostgreSQL text and JSON consumers may refuse.</summary>
    public static RuleViolation? Text(SnapshotField field, string? text, bool required, int maxLength = Limits.NameLength)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return required ? new(field, "REQUIRED", "is required.") : null;
        }
        if (HasControlCharacters(text))
        {
            return new(field, "INVALID_CHARACTERS", "must not contain control characters (U+0000–U+001F, U+007F–U+009F).");
        }
        var length = text.Trim().Length;
        return length > maxLength ? new(field, "TOO_LONG", $"must be at most {maxLength} characters (got {length}).") : null;
    }

    public static bool HasControlCharacters(string text) => text.AsSpan().IndexOfAnyInRange('\u0000', '\u001F') >= 0
        || text.AsSpan().IndexOfAnyInRange('\u007F', '\u009F') >= 0;

    public static RuleViolation? Country(SnapshotField field, string? code)
    {
        if (string.IsNullOrEmpty(code)) return new(field, "REQUIRED", "is required: an ISO 3166-1 alpha-2 code such as AZ.");
        if (CountryCodes.IsAssigned(code)) return null;
        var upper = code.ToUpperInvariant();
        var hint = CountryCodes.IsAssigned(upper) ? $" Use upper case: {upper}." : "";
        return new(field, "UNKNOWN_COUNTRY", $"'{Clip(code)}' is not an officially assigned ISO 3166-1 alpha-2 code.{hint}");
    }

    public static RuleViolation? DistinctCountries(string exporter, string importer) => exporter == importer
        ? new(SnapshotField.ImporterCountry, "SAME_COUNTRY", $"must differ from exporter_country ({exporter}): a country does not trade with itself.")
        : null;

    public static RuleViolation? QuantityValue(decimal value)
    {
        if (value <= 0) return new(SnapshotField.QuantityValue, "NOT_POSITIVE", $"must be greater than zero (got {Format(value)}).");
        if (value > Limits.MaxQuantity) return new(SnapshotField.QuantityValue, "TOO_LARGE", $"must be at most {Format(Limits.MaxQuantity)}.");
        if (value.Scale > Limits.InputScale) return new(SnapshotField.QuantityValue, "TOO_PRECISE", $"has more than {Limits.InputScale} decimal places.");
        return null;
    }

    public static RuleViolation? Unit(QuantityUnit unit) =>
        Enum.IsDefined(unit) ? null : new(SnapshotField.QuantityUnit, "REQUIRED", "is required: barrels or metric tonnes.");

    public static RuleViolation? BarrelsPerTonne(decimal factor)
    {
        if (factor < Limits.MinBarrelsPerTonne || factor > Limits.MaxBarrelsPerTonne)
        {
            return new(SnapshotField.BarrelsPerTonne, "OUT_OF_RANGE",
                $"must be within {Format(Limits.MinBarrelsPerTonne)}–{Format(Limits.MaxBarrelsPerTonne)} (got {Format(factor)}); crude oil lies around 7.33.");
        }
        if (factor.Scale > Limits.InputScale) return new(SnapshotField.BarrelsPerTonne, "TOO_PRECISE", $"has more than {Limits.InputScale} decimal places.");
        return null;
    }

    /// <summary>
    /// What a sound quantity converts to — barrels and tonnes rounded to 3 places — must itself be
    /// countable: at least the unit of that scale (0.001 bbl converts to 0.000 t) and at most the limit
    /// (200,000,000 t converts to 1,466,000,000 bbl). Call only when the three parts passed their own rules.
    /// </summary>
    public static RuleViolation? Converted(decimal value, QuantityUnit unit, decimal factor)
    {
        var (barrels, tonnes) = Quantities.Normalise(value, unit, factor);
        var derived = unit == QuantityUnit.Barrels ? SnapshotField.Tonnes : SnapshotField.Barrels;
        if (barrels < Limits.MinQuantity || tonnes < Limits.MinQuantity)
        {
            return new(derived, "TOO_SMALL",
                $"{Conversion(value, unit, factor, barrels, tonnes)}; a shipment must be at least {Format(Limits.MinQuantity)} bbl and {Format(Limits.MinQuantity)} t.");
        }
        if (barrels > Limits.MaxQuantity || tonnes > Limits.MaxQuantity)
        {
            return new(derived, "TOO_LARGE",
                $"{Conversion(value, unit, factor, barrels, tonnes)}; a shipment may be at most {Format(Limits.MaxQuantity)} bbl and {Format(Limits.MaxQuantity)} t.");
        }
        return null;
    }

    /// <summary>The quantity's parts, then what they convert to, then that the snapshot carries exactly that.</summary>
    private static void Quantity(ShipmentSnapshot s, List<RuleViolation> found)
    {
        var parts = new[] { QuantityValue(s.QuantityValue), Unit(s.QuantityUnit), BarrelsPerTonne(s.BarrelsPerTonne) };
        if (parts.Any(p => p is not null))
        {
            found.AddRange(parts.OfType<RuleViolation>());
            return;
        }
        if (Converted(s.QuantityValue, s.QuantityUnit, s.BarrelsPerTonne) is { } converted)
        {
            found.Add(converted);
            return;
        }
        var (barrels, tonnes) = Quantities.Normalise(s.QuantityValue, s.QuantityUnit, s.BarrelsPerTonne);
        var conversion = Conversion(s.QuantityValue, s.QuantityUnit, s.BarrelsPerTonne, barrels, tonnes);
        if (s.Barrels != barrels) found.Add(new(SnapshotField.Barrels, "INCONSISTENT", $"{Format(s.Barrels)} does not match the quantity: {conversion}."));
        if (s.Tonnes != tonnes) found.Add(new(SnapshotField.Tonnes, "INCONSISTENT", $"{Format(s.Tonnes)} does not match the quantity: {conversion}."));
    }

    private static string Conversion(decimal value, QuantityUnit unit, decimal factor, decimal barrels, decimal tonnes) =>
        $"{Format(value)} {(unit == QuantityUnit.Barrels ? "bbl" : "t")} is {Format(barrels)} bbl = {Format(tonnes)} t at {Format(factor)} bbl/t, rounded to {Limits.NormalisedScale} places";

    public static RuleViolation? Value(decimal usd)
    {
        if (usd < 0) return new(SnapshotField.ValueUsd, "NEGATIVE", $"must not be negative (got {Format(usd)}).");
        if (usd > Limits.MaxValueUsd) return new(SnapshotField.ValueUsd, "TOO_LARGE", $"must be at most {Format(Limits.MaxValueUsd)} USD.");
        if (decimal.Round(usd, Limits.MoneyScale) != usd) return new(SnapshotField.ValueUsd, "TOO_PRECISE", "must be whole cents: USD has 2 minor units.");
        return null;
    }

    public static RuleViolation? Delivery(DateOnly loadDate, DateOnly? deliveryDate) => deliveryDate is { } delivered && delivered < loadDate
        ? new(SnapshotField.DeliveryDate, "DELIVERY_BEFORE_LOAD", $"{delivered:yyyy-MM-dd} is before load_date {loadDate:yyyy-MM-dd}.")
        : null;

    private static void Add(List<RuleViolation> found, RuleViolation? violation)
    {
        if (violation is not null) found.Add(violation);
    }

    private static string Format(decimal value) => value.ToString("#,0.#########", CultureInfo.InvariantCulture);

    private static string Clip(string s) => s.Length <= 16 ? s : s[..16] + "…";
}
