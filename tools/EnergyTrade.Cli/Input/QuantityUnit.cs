namespace EnergyTrade.Cli.Input;

/// <summary>The units a quantity can be given in on the command line and in CSV files.</summary>
public enum QuantityUnit
{
    Barrels,
    MetricTonnes,
}

public static class QuantityUnits
{
    public const string Expected = "bbl or t";

    /// <summary>Accepts the short symbols the trade press uses ("bbl", "t"), in any case.</summary>
    public static bool TryParse(string? text, out QuantityUnit unit)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "bbl":
                unit = QuantityUnit.Barrels;
                return true;
            case "t":
                unit = QuantityUnit.MetricTonnes;
                return true;
            default:
                unit = default;
                return false;
        }
    }

    public static string Symbol(this QuantityUnit unit) => unit == QuantityUnit.Barrels ? "bbl" : "t";
}
