using CsCheck;

namespace EnergyTrade.EndToEnd.Tests.Properties;

/// <summary>Country codes: the suite's own, and the ways a code goes wrong (lower case, reserved EU/UK/XK, empty, look-alikes).</summary>
public static class CountryGen
{
    public static readonly Gen<string> Trader = Gen.OneOf(PrivateCountries.Traders);

    public static readonly Gen<string> Origin = Gen.OneOf(PrivateCountries.Origins);

    /// <summary>Never an assigned code: the oracle relies on it.</summary>
    public static readonly Gen<string> Wrong = Gen.Frequency(
        (3, Gen.OneOf(PrivateCountries.Origins).Select(c => c.ToLowerInvariant())),
        (3, Gen.OneOf(PrivateCountries.Unassigned)),
        (2, Gen.Const("")),
        (3, Gen.OneOf(" TV", "TV ", "TVL", "T", "Т" + "V", "ＴＶ", "T\0", "tV", "K I", "\u200BKI", "US\u0301")),
        (1, Gen.Char['\u00C0', '\u024F'].Array[1, 4].Select(a => new string(a))));

    public static Gen<string> Any(Gen<string> valid) => Gen.Frequency((85, valid), (15, Wrong));
}
