using System.Globalization;
using EnergyTrade.Shipments.V1;

namespace EnergyTrade.EndToEnd.Tests.Properties;

/// <summary>
/// The README's validation rules restated from the outside, independently of the services' code: what
/// a create must be refused for, and what any acknowledged shipment must look like to be countable.
/// </summary>
public static class Oracle
{
    public const decimal MinQuantity = 0.001m;
    public const decimal MaxQuantity = 1_000_000_000m;
    public const decimal MaxValueUsd = 1_000_000_000_000m;
    public const decimal DefaultBarrelsPerTonne = 7.33m;

    private static readonly HashSet<string> MutablePaths =
    [
        "shipper", "exporter_country", "importer_country", "origin_country", "grade", "quantity", "quantity.value", "quantity.unit",
        "quantity.barrels_per_tonne", "value", "load_date", "delivery_date", "load_port", "discharge_port",
    ];

    public static bool IsControl(char c) => c <= '\u001F' || c is >= '\u007F' and <= '\u009F';

    /// <summary>Why a name is refused, or null: required unless blank is allowed, no control character, at most <paramref name="limit"/> once trimmed.</summary>
    public static string? TextProblem(string text, bool required, int limit)
    {
        if (string.IsNullOrWhiteSpace(text)) return required ? "required" : null;
        if (text.Any(IsControl)) return "control character";
        return text.Trim().Length > limit ? "too long" : null;
    }

    public static bool TryDecimal(Google.Type.Decimal? d, out decimal value)
    {
        value = 0;
        var text = d?.Value;
        return !string.IsNullOrWhiteSpace(text) && text.Length <= 64
            && decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out value);
    }

    public static (decimal Barrels, decimal Tonnes) Normalise(decimal value, Quantity.Types.Unit unit, decimal factor) => unit == Quantity.Types.Unit.Barrels
        ? (Round(value), Round(value / factor))
        : (Round(value * factor), Round(value));

    private static decimal Round(decimal value) => Math.Round(value, 3, MidpointRounding.ToEven);

    public static decimal Usd(Google.Type.Money m) => m.Units + m.Nanos / 1_000_000_000m;

    private static bool WellFormed(Google.Type.Money m) =>
        m.Nanos is > -1_000_000_000 and < 1_000_000_000 && !(m.Units > 0 && m.Nanos < 0) && !(m.Units < 0 && m.Nanos > 0);

    /// <summary>Every reason the README gives for refusing this create; empty means it must be accepted.</summary>
    public static List<string> CreateProblems(Shipment s, string requestId)
    {
        var found = new List<string>();
        void Check(string field, string? problem)
        {
            if (problem is not null) found.Add($"{field}: {problem}");
        }
        Check("shipper", TextProblem(s.Shipper, required: true, ShipmentGen.NameLimit));
        Check("grade", TextProblem(s.Grade, required: true, ShipmentGen.NameLimit));
        Check("load_port", TextProblem(s.LoadPort, required: false, ShipmentGen.NameLimit));
        Check("discharge_port", TextProblem(s.DischargePort, required: false, ShipmentGen.NameLimit));
        Check("exporter_country", PrivateCountries.IsKnownValid(s.ExporterCountry) ? null : "not an assigned code");
        Check("importer_country", PrivateCountries.IsKnownValid(s.ImporterCountry) ? null : "not an assigned code");
        // Empty: the origin was not disclosed, which is allowed.
        Check("origin_country", s.OriginCountry.Length == 0 || PrivateCountries.IsKnownValid(s.OriginCountry) ? null : "not an assigned code");
        if (s.ExporterCountry == s.ImporterCountry) Check("importer_country", "same as exporter");
        Check("quantity", QuantityProblem(s.Quantity, s.Grade));
        if (s.Value is { } money)
        {
            if (money.CurrencyCode != "USD") Check("value.currency_code", "not USD");
            else if (!WellFormed(money)) Check("value", "malformed money");
            else
            {
                var usd = Usd(money);
                if (usd < 0) Check("value", "negative");
                else if (usd > MaxValueUsd) Check("value", "above 10^12");
                else if (decimal.Round(usd, 2) != usd) Check("value", "not whole cents");
            }
        }
        if (!DateGen.Real(s.LoadDate, out var load)) Check("load_date", "not a real date");
        if (s.DeliveryDate is not null)
        {
            if (!DateGen.Real(s.DeliveryDate, out var delivered)) Check("delivery_date", "not a real date");
            else if (s.LoadDate is not null && DateGen.Real(s.LoadDate, out _) && delivered < load) Check("delivery_date", "before load_date");
        }
        if (requestId.Length > 128) Check("request_id", "longer than 128");
        else if (requestId.Any(IsControl)) Check("request_id", "control character");
        return found;
    }

    private static string? QuantityProblem(Quantity? q, string grade)
    {
        if (q is null) return "required";
        if (q.Value is null) return "value required";
        if (!TryDecimal(q.Value, out var value)) return "value not a decimal";
        if (value <= 0) return "value not positive";
        if (value > MaxQuantity) return "value above 10^9";
        if (value.Scale > 6) return "value has more than 6 places";
        if (q.Unit is not (Quantity.Types.Unit.Barrels or Quantity.Types.Unit.MetricTonnes)) return "unit required";
        var factor = StandardFactors.For(grade);
        if (q.BarrelsPerTonne is not null)
        {
            if (!TryDecimal(q.BarrelsPerTonne, out factor)) return "barrels_per_tonne not a decimal";
            if (factor is < 5 or > 10) return "barrels_per_tonne outside 5–10";
            if (factor.Scale > 6) return "barrels_per_tonne has more than 6 places";
        }
        var (barrels, tonnes) = Normalise(value, q.Unit, factor);
        if (barrels < MinQuantity || tonnes < MinQuantity) return $"converts to {barrels} bbl = {tonnes} t, below 0.001";
        if (barrels > MaxQuantity || tonnes > MaxQuantity) return $"converts to {barrels} bbl = {tonnes} t, above 10^9";
        return null;
    }

    /// <summary>Why an update_mask must be refused whatever the shipment, or null.</summary>
    public static string? MaskProblem(string[]? paths)
    {
        if (paths is null or [] or ["*"]) return null;
        return paths.FirstOrDefault(p => !MutablePaths.Contains(p)) is { } bad ? $"path '{bad}'" : null;
    }

    /// <summary>What makes an acknowledged shipment one Trade can count (or, cancelled, withdraw), checked on the server's reply.</summary>
    public static List<string> ReplyProblems(Shipment r)
    {
        var found = new List<string>();
        if (!r.Name.StartsWith("shipments/", StringComparison.Ordinal) || !Guid.TryParse(r.Name["shipments/".Length..], out _)) found.Add($"name '{r.Name}'");
        if (r.Version < 1) found.Add($"version {r.Version}");
        if (r.State == Shipment.Types.State.Cancelled)
        {
            if (TextProblem(r.CancelReason, required: false, ShipmentGen.ReasonLimit) is { } reason) found.Add($"cancel_reason: {reason}");
            return found;
        }
        if (r.State != Shipment.Types.State.Active) found.Add($"state {r.State}");
        foreach (var (field, text, required) in new[] { ("shipper", r.Shipper, true), ("grade", r.Grade, true), ("load_port", r.LoadPort, false), ("discharge_port", r.DischargePort, false) })
        {
            if (TextProblem(text, required, ShipmentGen.NameLimit) is { } problem) found.Add($"{field}: {problem}");
            if (text != Canonical(text)) found.Add($"{field} is not trimmed with its runs of white space collapsed");
        }
        found.AddRange(CreateProblems(r, "").Where(p => !p.StartsWith("shipper", StringComparison.Ordinal) && !p.StartsWith("grade", StringComparison.Ordinal)));
        if (r.Quantity is { } q && TryDecimal(q.Value, out var value) && q.Unit is Quantity.Types.Unit.Barrels or Quantity.Types.Unit.MetricTonnes)
        {
            // A reply always shows the factor its figures were converted with.
            if (q.BarrelsPerTonne is null) found.Add("no barrels_per_tonne");
            var factor = TryDecimal(q.BarrelsPerTonne, out var f) ? f : 0;
            var expected = factor == 0 ? default : Normalise(value, q.Unit, factor);
            if (!TryDecimal(r.Barrels, out var barrels) || barrels != expected.Barrels) found.Add($"barrels {r.Barrels?.Value} ≠ {expected.Barrels}");
            if (!TryDecimal(r.Tonnes, out var tonnes) || tonnes != expected.Tonnes) found.Add($"tonnes {r.Tonnes?.Value} ≠ {expected.Tonnes}");
        }
        return [.. found.Distinct()];
    }

    /// <summary>
    /// The README's rule for company, grade and port names, stated here on its own rather than borrowed
    /// from the service: trimmed, and every run of white space (as char.IsWhiteSpace has it) one space.
    /// </summary>
    public static string Canonical(string s) => string.Join(' ', s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    /// <summary>Where a freshly created shipment differs from what was asked for (after the name rule and unit resolution).</summary>
    public static List<string> Mismatches(Shipment asked, Shipment got)
    {
        var found = new List<string>();
        void Same<T>(string field, T expected, T actual)
        {
            if (!EqualityComparer<T>.Default.Equals(expected, actual)) found.Add($"{field}: asked {expected}, got {actual}");
        }
        Same("shipper", Canonical(asked.Shipper), got.Shipper);
        Same("buyer", Canonical(asked.Buyer), got.Buyer);
        Same("grade", Canonical(asked.Grade), got.Grade);
        Same("exporter_country", asked.ExporterCountry, got.ExporterCountry);
        Same("importer_country", asked.ImporterCountry, got.ImporterCountry);
        Same("origin_country", asked.OriginCountry, got.OriginCountry);
        Same("load_port", Canonical(asked.LoadPort), got.LoadPort);
        Same("discharge_port", Canonical(asked.DischargePort), got.DischargePort);
        TryDecimal(asked.Quantity?.Value, out var askedValue);
        TryDecimal(got.Quantity?.Value, out var gotValue);
        Same("quantity.value", askedValue, gotValue);
        Same("quantity.unit", asked.Quantity?.Unit, got.Quantity?.Unit);
        // Asked for none, the grade's standard factor is the one used.
        decimal? askedFactor = asked.Quantity?.BarrelsPerTonne is { } af ? TryDecimal(af, out var a) ? a : null : StandardFactors.For(asked.Grade);
        decimal? gotFactor = got.Quantity?.BarrelsPerTonne is { } gf && TryDecimal(gf, out var g) ? g : null;
        Same("quantity.barrels_per_tonne", askedFactor, gotFactor);
        Same("value", asked.Value is null ? (decimal?)null : Usd(asked.Value), got.Value is null ? null : Usd(got.Value));
        Same("load_date", asked.LoadDate, got.LoadDate);
        Same("delivery_date", asked.DeliveryDate, got.DeliveryDate);
        Same("state", Shipment.Types.State.Active, got.State);
        Same("version", 1L, got.Version);
        return found;
    }
}
