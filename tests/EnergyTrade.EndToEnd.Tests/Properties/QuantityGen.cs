using System.Globalization;
using CsCheck;
using EnergyTrade.Shipments.V1;

namespace EnergyTrade.EndToEnd.Tests.Properties;

/// <summary>
/// Quantities as the wire carries them: google.type.Decimal text. Sound values of every magnitude,
/// the boundaries of the rule book (what rounds to nothing, what converts past a billion), too many
/// decimals, signs, exponent notation and text that is no number at all.
/// </summary>
public static class QuantityGen
{
    /// <summary>A positive decimal with up to <paramref name="maxScale"/> places, its magnitude spread over 10^-6 to 10^9.</summary>
    public static Gen<decimal> Magnitude(int maxScale) => Gen.Select(Gen.Int[1, 10], Gen.Int[0, maxScale], Gen.Long[1, 999_999_999], (digits, scale, raw) =>
    {
        var mantissa = raw % (long)Math.Pow(10, digits);
        return Math.Max(1, mantissa) / (decimal)Math.Pow(10, scale);
    });

    public static string Plain(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Values on and beside every edge: the normalised scale's unit, the 10^9 limit, 136,425,648 t at 7.33 bbl/t.</summary>
    public static readonly Gen<string> Boundary = Gen.OneOf(
        "0", "0.000001", "0.0004", "0.0005", "0.001", "0.003", "0.004", "0.0049", "0.005", "0.0051", "0.0073", "0.00733", "0.01",
        "1", "7.33", "1000000000", "999999999.999999", "1000000000.000001", "1000000001", "136425648", "136425648.021828",
        "136425649", "136425648.5", "100000000", "200000000", "0.0000001", "1.0000000", "1.1234567", "12.345678");

    public static readonly Gen<string> Exponent = Gen.Select(Gen.Int[1, 999], Gen.Int[-9, 11], Gen.OneOf("e", "E", "e+", "E-"), (m, e, sign) =>
        sign.EndsWith('-') ? $"{m}{sign}{Math.Abs(e)}" : $"{m}{sign}{e}");

    public static readonly Gen<string> Garbage = Gen.OneOf(
        "", " ", "abc", "1,000", "1 000", "NaN", "Infinity", "-Infinity", "0x10", "١٢٣", "+5", " 5", "5 ", "1e", "e5", "--1", "1e99999",
        "79228162514264337593543950336", "79228162514264337593543950335", "1.", ".5", "-0", "0e0", "1_000", "1/2", "5%", "$5",
        new string('9', 65), "0." + new string('0', 27) + "1", "1\0", "\u2212" + "5");

    /// <summary>A quantity's value: mostly sound, often at an edge, sometimes not a number.</summary>
    public static readonly Gen<string> AnyValue = Gen.Frequency(
        (30, Magnitude(6).Select(Plain)),
        (8, Magnitude(8).Select(Plain)),
        (14, Boundary),
        (6, Exponent),
        (6, Garbage),
        (4, Magnitude(6).Select(v => "-" + Plain(v))),
        (2, TextGen.Unicode(1, 8)));

    /// <summary>Sound barrels: at least 0.1 bbl (never rounds below 0.001 t) and at most 10^9, three places.</summary>
    public static readonly Gen<string> CleanBarrels = Gen.Select(Gen.Long[100, 1_000_000_000_000], Gen.Int[0, 9], (thousandths, magnitude) =>
        Plain(Math.Max(100, thousandths / (long)Math.Pow(10, magnitude)) / 1000m));

    /// <summary>Sound tonnes: 0.001 t to 10^8 t, whose barrels stay within 10^9 at any factor up to 10.</summary>
    public static readonly Gen<string> CleanTonnes = Gen.Select(Gen.Long[1, 100_000_000_000], Gen.Int[0, 9], (thousandths, magnitude) =>
        Plain(Math.Max(1, thousandths / (long)Math.Pow(10, magnitude)) / 1000m));

    public static readonly Gen<string> CleanFactor = Gen.Select(Gen.Int[5_000_000, 10_000_000], Gen.Int[0, 6], (micro, keep) =>
        Plain(decimal.Round(micro / 1_000_000m, keep)));

    /// <summary>barrels_per_tonne: inside 5–10, on its edges, beyond them, too precise, or not a number.</summary>
    public static readonly Gen<string> AnyFactor = Gen.Frequency(
        (20, CleanFactor),
        (8, Gen.OneOf("5", "10", "5.000000", "10.000000", "4.999999", "10.000001", "7.1234567", "0", "-7.33", "7.33e0", "73.3E-1", "1e1", "11", "4")),
        (4, Gen.Int[0, 2_000].Select(v => Plain(v / 100m))),
        (3, Garbage));

    public static readonly Gen<Quantity.Types.Unit> AnyUnit = Gen.Frequency(
        (45, Gen.Const(Quantity.Types.Unit.Barrels)),
        (45, Gen.Const(Quantity.Types.Unit.MetricTonnes)),
        (4, Gen.Const(Quantity.Types.Unit.Unspecified)),
        (3, Gen.Const((Quantity.Types.Unit)3)),
        (3, Gen.Const((Quantity.Types.Unit)(-1))));

    public static Google.Type.Decimal? Text(string? value) => value is null ? null : new Google.Type.Decimal { Value = value };

    public static readonly Gen<Quantity> Clean = Gen.Select(Gen.Bool, CleanBarrels, CleanTonnes, CleanFactor.Null(0.5), (barrels, b, t, factor) => new Quantity
    {
        Value = Text(barrels ? b : t),
        Unit = barrels ? Quantity.Types.Unit.Barrels : Quantity.Types.Unit.MetricTonnes,
        BarrelsPerTonne = Text(factor),
    });

    public static readonly Gen<Quantity?> Any = Gen.Frequency(
        (94, Gen.Select(AnyValue.Null(0.03), AnyUnit, AnyFactor.Null(0.5), (value, unit, factor) => (Quantity?)new Quantity
        {
            Value = Text(value), Unit = unit, BarrelsPerTonne = Text(factor),
        })),
        (6, Gen.Const<Quantity?>(() => null)));
}
