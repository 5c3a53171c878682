using CsCheck;

namespace EnergyTrade.EndToEnd.Tests.Properties;

/// <summary>
/// Strings for every text field: the names a clerk types, and everything else a wire can carry —
/// control characters (C0, DEL, C1), whitespace of every kind, any Unicode scalar value, lengths at
/// and around each limit, and strings far beyond it.
/// </summary>
public static class TextGen
{
    public static readonly Gen<char> Control = Gen.Frequency(
        // NUL on its own: PostgreSQL text cannot hold it at all.
        (2, Gen.Const('\u0000')),
        (5, Gen.Char['\u0000', '\u001F']),
        (1, Gen.Const('\u007F')),
        (3, Gen.Char['\u0080', '\u009F']));

    /// <summary>Any Unicode scalar value, as one or two UTF-16 code units; surrogates never stand alone.</summary>
    public static readonly Gen<string> Scalar = Gen.Frequency(
        (4, Gen.Char['\u0020', '\u007E'].Select(c => c.ToString())),
        (6, Gen.Char['\u00A0', '\uD7FF'].Select(c => c.ToString())),
        (2, Gen.Char['\uE000', '\uFFFF'].Select(c => c.ToString())),
        (3, Gen.Int[0x10000, 0x10FFFF].Select(char.ConvertFromUtf32)),
        (1, Control.Select(c => c.ToString())));

    public static readonly Gen<string> Whitespace = Gen.OneOf(
        "", " ", "   ", "\u00A0", "\u2003", "\u3000", "\u2028", "\t", "\r\n", "\u0085", " \u00A0 ");

    public static Gen<string> Unicode(int min, int max) => Scalar.Array[min, max].Select(string.Concat);

    /// <summary>Bytes 0–255 taken as characters: NUL, C0, DEL, C1 and Latin-1.</summary>
    public static readonly Gen<string> Bytes = Gen.Char['\u0000', '\u00FF'].Array[1, 24].Select(a => new string(a));

    public static readonly Gen<string> AlphaNumeric = Gen.Char.AlphaNumeric.Array[1, 24].Select(a => new string(a));

    /// <summary>A clean value with one control character put somewhere in it.</summary>
    public static Gen<string> WithControl(Gen<string> clean) =>
        Gen.Select(clean, Gen.Int[0, 64], Control, (text, at, c) => text.Insert(Math.Min(at, text.Length), c.ToString()));

    /// <summary>
    /// Lengths at and around <paramref name="limit"/> (in UTF-16 code units, as the rule counts them),
    /// some padded with spaces that trimming removes, some of astral characters that count twice.
    /// </summary>
    public static Gen<string> AroundLimit(int limit) => Gen.Select(Gen.Int[-2, 2], Gen.Int[0, 3], (delta, style) =>
    {
        var length = Math.Max(1, limit + delta);
        return style switch
        {
            0 => new string('x', length),
            1 => "  " + new string('y', length) + " ",
            2 => string.Concat(Enumerable.Repeat("\U0001F6E2", length / 2)) + (length % 2 == 1 ? "z" : ""),
            _ => new string('\u00E9', length),
        };
    });

    public static readonly Gen<string> Long = Gen.Select(Gen.Int[600, 4_000], Gen.Bool, (length, unicode) =>
        unicode ? string.Concat(Enumerable.Repeat("Ω\u4E2D", length / 2)) : new string('L', length));

    /// <summary>Any text for a field whose limit is <paramref name="limit"/>; <paramref name="clean"/> is what a clerk would type.</summary>
    public static Gen<string> Any(Gen<string> clean, int limit) => Gen.Frequency(
        (20, clean),
        (6, clean.Select(c => "  " + c + " ")),
        (8, AlphaNumeric),
        (10, Unicode(1, 40)),
        (10, WithControl(clean)),
        (6, Whitespace),
        (8, AroundLimit(limit)),
        (3, Long),
        (6, Bytes));

    public static readonly Gen<string> Shipper = Gen.OneOf("SOCAR", "Equinor", "Vitol", "Glencore Energy UK", "Trafigura", "Gunvor SA", "Ōshima Trading", "Société Pétrolière");
    public static readonly Gen<string> Grade = Gen.OneOf("Azeri Light", "CPC Blend", "Urals", "Brent", "WTI Midland", "Arab Light", "Ekofisk", "Kirkuk");
    public static readonly Gen<string> Port = Gen.OneOf("Supsa", "Ceyhan", "Novorossiysk", "Odesa", "Primorsk", "Rotterdam", "Ust-Luga", "Trieste");
}
