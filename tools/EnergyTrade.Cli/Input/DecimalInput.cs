using System.Globalization;

namespace EnergyTrade.Cli.Input;

/// <summary>Exact decimal input. Invariant culture, so "7.45" means the same on every machine.</summary>
public static class DecimalInput
{
    // No thousands separators or exponents: "85,000" is more likely a CSV mistake than a number.
    private const NumberStyles Style = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite;

    public static bool TryParse(string? text, out decimal value) =>
        decimal.TryParse(text, Style, CultureInfo.InvariantCulture, out value);

    public static string Describe(string? text) => $"'{text}' is not a number (use digits and a '.' for decimals, e.g. 85000 or 7.45)";
}
