namespace EnergyTrade.Cli.Input;

/// <summary>Optional fields an amendment can empty: "none" (or an empty value) removes what was recorded.</summary>
public static class ClearableInput
{
    public const string None = "none";

    public static bool IsNone(string? text) => text is not null && (text.Trim().Length == 0 || text.Trim().Equals(None, StringComparison.OrdinalIgnoreCase));
}
