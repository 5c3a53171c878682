using EnergyTrade.Contracts;

namespace EnergyTrade.Trade.Totals;

/// <summary>
/// A shipment's companies, grade and ports as totals are keyed by them: <see cref="Names.Key"/>
/// forms, so differently typed spellings of one name fall into one row. Buyer and ports are null
/// when not recorded.
/// </summary>
public sealed record ShipmentNames(string Shipper, string? Buyer, string Grade, string? LoadPort, string? DischargePort)
{
    public static ShipmentNames Of(ShipmentSnapshot s) => new(
        Names.Key(s.Shipper), KeyOrNull(s.Buyer), Names.Key(s.Grade), KeyOrNull(s.LoadPort), KeyOrNull(s.DischargePort));

    /// <summary>Each name with the spelling it was first seen in, for <see cref="NameBook"/>.</summary>
    public static IEnumerable<(NameKind Kind, string Key, string Spelling)> Spellings(ShipmentSnapshot s)
    {
        yield return (NameKind.Company, Names.Key(s.Shipper), Names.Canonical(s.Shipper));
        if (!string.IsNullOrWhiteSpace(s.Buyer)) yield return (NameKind.Company, Names.Key(s.Buyer), Names.Canonical(s.Buyer));
        yield return (NameKind.Grade, Names.Key(s.Grade), Names.Canonical(s.Grade));
        if (!string.IsNullOrWhiteSpace(s.LoadPort)) yield return (NameKind.Port, Names.Key(s.LoadPort), Names.Canonical(s.LoadPort));
        if (!string.IsNullOrWhiteSpace(s.DischargePort)) yield return (NameKind.Port, Names.Key(s.DischargePort), Names.Canonical(s.DischargePort));
    }

    public static int Compare(ShipmentNames? a, ShipmentNames? b)
    {
        if (ReferenceEquals(a, b)) return 0;
        if (a is null) return -1;
        if (b is null) return 1;
        var c = string.CompareOrdinal(a.Shipper, b.Shipper);
        if (c == 0) c = string.CompareOrdinal(a.Buyer, b.Buyer);
        if (c == 0) c = string.CompareOrdinal(a.Grade, b.Grade);
        if (c == 0) c = string.CompareOrdinal(a.LoadPort, b.LoadPort);
        return c != 0 ? c : string.CompareOrdinal(a.DischargePort, b.DischargePort);
    }

    private static string? KeyOrNull(string? name) => string.IsNullOrWhiteSpace(name) ? null : Names.Key(name);
}

/// <summary>Which list a name belongs to: a company is one company whether it sells or buys.</summary>
public enum NameKind : short
{
    Company = 1,
    Grade = 2,
    Port = 3,
}
