using EnergyTrade.Trade.Totals;

namespace EnergyTrade.Trade.Data;

/// <summary>
/// The one spelling kept for a name: the first Trade saw. Totals are keyed by the name's
/// case-insensitive key; answers show this spelling.
/// </summary>
public sealed class TradeName
{
    public NameKind Kind { get; set; }
    public required string Key { get; set; }
    public required string Spelling { get; set; }
}
