namespace EnergyTrade.Trade.Totals;

/// <summary>
/// One row of bilateral_totals: the finest grain any question needs. Origin is null when it was not
/// disclosed; DeliveryMonth when the cargo has no delivery date yet; Names is null only on rows
/// counted before Trade kept names (see <see cref="ShipmentNames"/>).
/// </summary>
public readonly record struct TotalsKey(
    string ExporterCountry, string ImporterCountry, string? OriginCountry, DateOnly Month, DateOnly? DeliveryMonth, ShipmentNames? Names)
    : IComparable<TotalsKey>
{
    /// <summary>Rows are always locked in this order, so concurrent batches cannot deadlock.</summary>
    public int CompareTo(TotalsKey other)
    {
        var c = string.CompareOrdinal(ExporterCountry, other.ExporterCountry);
        if (c == 0) c = string.CompareOrdinal(ImporterCountry, other.ImporterCountry);
        if (c == 0) c = string.CompareOrdinal(OriginCountry, other.OriginCountry);
        if (c == 0) c = Month.CompareTo(other.Month);
        if (c == 0) c = Nullable.Compare(DeliveryMonth, other.DeliveryMonth);
        return c != 0 ? c : ShipmentNames.Compare(Names, other.Names);
    }
}
