using System.Globalization;
using EnergyTrade.Cli.Grpc;

namespace EnergyTrade.Cli.Output;

/// <summary>
/// Human-readable figures: thousands separators, a unit, and every digit the service sent
/// (no rounding, no floating point). Invariant culture, so output is the same on every machine.
/// </summary>
public static class Numbers
{
    public static string Barrels(decimal barrels) => $"{Quantity(barrels)} bbl";
    public static string Tonnes(decimal tonnes) => $"{Quantity(tonnes)} t";
    public static string Barrels(Google.Type.Decimal? barrels) => Barrels(ProtoValues.ToDecimal(barrels));
    public static string Tonnes(Google.Type.Decimal? tonnes) => Tonnes(ProtoValues.ToDecimal(tonnes));

    /// <summary>
    /// Thousand barrels a day to one decimal, as flows are quoted, from the service's barrels per day
    /// (the JSON output keeps its exact figure); "" when it sent none (an open range).
    /// </summary>
    public static string KiloBarrelsPerDay(Google.Type.Decimal? barrelsPerDay) => barrelsPerDay is null
        ? ""
        : $"{Group(Math.Round(ProtoValues.ToDecimal(barrelsPerDay) / 1000m, 1, MidpointRounding.ToEven), minimumDecimals: 1)} kb/d";

    /// <summary>Money keeps at least the two minor units of USD, and any further digits it carries.</summary>
    public static string Usd(decimal usd) => $"{Group(usd, minimumDecimals: 2)} USD";
    public static string Usd(Google.Type.Money? money) => Usd(ProtoValues.ToDecimal(money));

    /// <summary>An average price per barrel; "" when nothing carried a value.</summary>
    public static string UsdPerBarrel(Google.Type.Money? price) => price is null ? "" : $"{Group(ProtoValues.ToDecimal(price), minimumDecimals: 2)} USD/bbl";

    public static string Count(long count) => Group(count, minimumDecimals: 0);

    /// <summary>A change, signed either way: "+637,500 bbl", "-580,000 bbl", "0 bbl".</summary>
    public static string Change(decimal change, Func<decimal, string> format) => change > 0 ? "+" + format(change) : format(change);

    /// <summary>A percent as the service rounded it, signed: "+12.50 %".</summary>
    public static string Percent(decimal percent) => Change(percent, p => $"{Group(p, minimumDecimals: 2)} %");

    /// <summary>Quantities drop trailing zeros: the service sends 3 decimals ("700000.000") that say nothing.</summary>
    public static string Quantity(decimal value) => Group(value, minimumDecimals: 0);

    /// <summary>Groups the integer digits in threes; the fraction is kept exactly, trailing zeros trimmed down to <paramref name="minimumDecimals"/>.</summary>
    public static string Group(decimal value, int minimumDecimals)
    {
        var text = Math.Abs(value).ToString(CultureInfo.InvariantCulture);
        var point = text.IndexOf('.');
        var integer = point < 0 ? text : text[..point];
        var fraction = point < 0 ? "" : text[(point + 1)..].TrimEnd('0');
        if (fraction.Length < minimumDecimals) fraction = fraction.PadRight(minimumDecimals, '0');

        var grouped = new System.Text.StringBuilder(integer.Length + integer.Length / 3 + fraction.Length + 2);
        if (value < 0) grouped.Append('-');
        for (var i = 0; i < integer.Length; i++)
        {
            if (i > 0 && (integer.Length - i) % 3 == 0) grouped.Append(',');
            grouped.Append(integer[i]);
        }
        if (fraction.Length > 0) grouped.Append('.').Append(fraction);
        return grouped.ToString();
    }
}
