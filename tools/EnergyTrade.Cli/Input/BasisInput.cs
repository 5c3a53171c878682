namespace EnergyTrade.Cli.Input;

/// <summary>How flows are attributed to countries, as typed after --basis.</summary>
public enum BasisChoice
{
    /// <summary>Exporter = the seller's country (the services' default).</summary>
    Commercial,
    /// <summary>Exporter = the country where the oil was produced.</summary>
    Origin,
    /// <summary>Each of the two in turn (reconcile only).</summary>
    Both,
}

public static class BasisInput
{
    public const string Expected = "commercial or origin";
    public const string ExpectedWithBoth = "commercial, origin or both";

    /// <summary>Null (not given) is commercial; "both" only where <paramref name="allowBoth"/>.</summary>
    public static bool TryParse(string? text, bool allowBoth, out BasisChoice basis)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case null or "commercial":
                basis = BasisChoice.Commercial;
                return true;
            case "origin":
                basis = BasisChoice.Origin;
                return true;
            case "both" when allowBoth:
                basis = BasisChoice.Both;
                return true;
            default:
                basis = default;
                return false;
        }
    }

    public static string Describe(string text, bool allowBoth = false) =>
        $"--basis '{text}' is not a basis; use {(allowBoth ? ExpectedWithBoth : Expected)}.";

    public static EnergyTrade.Types.V1.Basis ToTrade(bool origin) =>
        origin ? EnergyTrade.Types.V1.Basis.Origin : EnergyTrade.Types.V1.Basis.Commercial;

    /// <summary>How a basis is named in titles: "commercial basis (exporter = the seller's country)".</summary>
    public static string Text(EnergyTrade.Types.V1.Basis basis) => basis == EnergyTrade.Types.V1.Basis.Origin
        ? "origin basis (exporter = where the oil was produced)"
        : "commercial basis (exporter = the seller's country)";
}
