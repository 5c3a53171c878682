using CsCheck;

namespace EnergyTrade.EndToEnd.Tests.Properties;

/// <summary>Invoice values as google.type.Money: whole cents up to 10^12 USD, and everything around them.</summary>
public static class MoneyGen
{
    private const int NanosPerCent = 10_000_000;

    public static Google.Type.Money Usd(long units, int nanos, string currency = "USD") => new() { CurrencyCode = currency, Units = units, Nanos = nanos };

    public static readonly Gen<Google.Type.Money> Clean = Gen.Select(Gen.Long[0, 999_999_999_999], Gen.Int[0, 12], Gen.Int[0, 99], (units, magnitude, cents) =>
        Usd(units / (long)Math.Pow(10, magnitude), cents * NanosPerCent));

    public static readonly Gen<Google.Type.Money> Edge = Gen.OneOf(
        Usd(0, 0), Usd(0, NanosPerCent), Usd(1_000_000_000_000, 0), Usd(1_000_000_000_000, NanosPerCent), Usd(999_999_999_999, 990_000_000),
        Usd(1_000_000_000_001, 0), Usd(long.MaxValue, 999_999_999), Usd(long.MinValue, -999_999_999), Usd(0, 999_999_999));

    /// <summary>Amounts a cent cannot express, negative amounts, units and nanos of opposite signs, nanos out of range.</summary>
    public static readonly Gen<Google.Type.Money> Malformed = Gen.Frequency(
        (4, Gen.Select(Gen.Long[0, 1_000_000], Gen.Int[1, 999_999_999], (u, n) => Usd(u, n % NanosPerCent == 0 ? n + 1 : n))),
        (3, Gen.Select(Gen.Long[-1_000_000, -1], Gen.Int[-999_999_999, 0], (u, n) => Usd(u, n))),
        (2, Gen.Select(Gen.Long[1, 1_000_000], Gen.Int[-999_999_999, -1], (u, n) => Usd(u, n))),
        (2, Gen.Select(Gen.Long[-1_000_000, -1], Gen.Int[1, 999_999_999], (u, n) => Usd(u, n))),
        (2, Gen.Select(Gen.Long[0, 1_000], Gen.OneOf(1_000_000_000, int.MaxValue, -1_000_000_000, int.MinValue), (u, n) => Usd(u, n))),
        (2, Gen.Select(Gen.Long[0, 0], Gen.Int[-999_999_999, -1], (u, n) => Usd(u, n))));

    public static readonly Gen<Google.Type.Money> OtherCurrency = Gen.Select(Clean, Gen.OneOf("EUR", "usd", "", "US", "USD ", "GBP", "XAU", "USDT", "ＵＳＤ"),
        (money, currency) => Usd(money.Units, money.Nanos, currency));

    public static readonly Gen<Google.Type.Money?> Any = Gen.Frequency(
        (25, Gen.Const<Google.Type.Money?>(() => null)),
        (45, Clean.Select(m => (Google.Type.Money?)m)),
        (8, Edge.Select(m => (Google.Type.Money?)m)),
        (12, Malformed.Select(m => (Google.Type.Money?)m)),
        (6, OtherCurrency.Select(m => (Google.Type.Money?)m)));
}
