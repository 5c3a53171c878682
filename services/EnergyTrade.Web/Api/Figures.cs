using System.Globalization;
using EnergyTrade.Client;

namespace EnergyTrade.Web.Api;

/// <summary>
/// Figures travel to the browser as decimal strings, exactly as Trade computed them: a JSON number would
/// pass through the browser's doubles.
/// </summary>
public static class Figures
{
    /// <summary>Without the trailing zeros of a column's scale (580000.000 is 580000): the same number, as people write it.</summary>
    public static string Text(decimal value) => (value / 1.000000000000000000000000000000000m).ToString(CultureInfo.InvariantCulture);

    public static string Text(Google.Type.Decimal? value) => Text(ProtoValues.ToDecimal(value));

    public static string Text(Google.Type.Money? value) => Text(ProtoValues.ToDecimal(value));

    public static string? TextOrNull(Google.Type.Decimal? value) => value is { Value.Length: > 0 } ? Text(value) : null;

    public static string? TextOrNull(Google.Type.Money? value) => value is null ? null : Text(value);

    /// <summary>Barrels a day over a number of calendar days, rounded half-even to 3 places as Trade rounds its own.</summary>
    public static string PerDay(decimal barrels, int days) => Text(Math.Round(barrels / days, 3, MidpointRounding.ToEven));
}
