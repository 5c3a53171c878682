namespace EnergyTrade.Trade.Totals;

/// <summary>One row of bilateral_totals.</summary>
public readonly record struct TotalsKey(string ExporterCountry, string ImporterCountry, string OriginCountry, DateOnly Month)
    : IComparable<TotalsKey>
{
    /// <summary>Rows are always locked in this order, so concurrent batches cannot deadlock.</summary>
    public int CompareTo(TotalsKey other)
    {
        var c = string.CompareOrdinal(ExporterCountry, other.ExporterCountry);
        if (c == 0) c = string.CompareOrdinal(ImporterCountry, other.ImporterCountry);
        if (c == 0) c = string.CompareOrdinal(OriginCountry, other.OriginCountry);
        return c != 0 ? c : Month.CompareTo(other.Month);
    }
}
