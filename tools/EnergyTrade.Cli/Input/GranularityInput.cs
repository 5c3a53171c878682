using EnergyTrade.Trade.V1;

namespace EnergyTrade.Cli.Input;

/// <summary>The size of a series' entries, as typed after --granularity.</summary>
public static class GranularityInput
{
    public const string Expected = "month, quarter or year";

    /// <summary>Null (not given) is month.</summary>
    public static bool TryParse(string? text, out Granularity granularity)
    {
        granularity = text?.Trim().ToLowerInvariant() switch
        {
            null or "month" => Granularity.Month,
            "quarter" => Granularity.Quarter,
            "year" => Granularity.Year,
            _ => Granularity.Unspecified,
        };
        return granularity != Granularity.Unspecified;
    }

    public static string Describe(string text) => $"--granularity '{text}' is not one of {Expected}.";

    /// <summary>"2020-03", "2020 Q1", "2020", or for an entry clipped by the range "2019-11–2019-12".</summary>
    public static string Label(MonthlyTotals entry, Granularity granularity)
    {
        var (first, last) = (entry.Month, entry.LastMonth ?? entry.Month);
        var months = (last.Year - first.Year) * 12 + last.Month - first.Month + 1;
        return granularity switch
        {
            Granularity.Quarter when months == 3 && first.Month % 3 == 1 => $"{first.Year:D4} Q{(first.Month + 2) / 3}",
            Granularity.Year when months == 12 => $"{first.Year:D4}",
            _ when months == 1 => $"{first.Year:D4}-{first.Month:D2}",
            _ => $"{first.Year:D4}-{first.Month:D2}–{last.Year:D4}-{last.Month:D2}",
        };
    }
}
