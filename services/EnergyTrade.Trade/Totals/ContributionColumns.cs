using EnergyTrade.Trade.Data;

namespace EnergyTrade.Trade.Totals;

public static class ContributionColumns
{
    /// <summary>Fills the row's contribution columns from <paramref name="c"/>; null (a cancelled shipment) leaves them empty and Contributes false.</summary>
    public static T WithContribution<T>(this T row, Contribution? c) where T : IContributionColumns
    {
        row.Contributes = c is not null;
        row.ExporterCountry = c?.Key.ExporterCountry;
        row.ImporterCountry = c?.Key.ImporterCountry;
        row.OriginCountry = c?.Key.OriginCountry;
        row.Month = c?.Key.Month;
        row.DeliveryMonth = c?.Key.DeliveryMonth;
        row.Shipper = c?.Key.Names?.Shipper;
        row.Buyer = c?.Key.Names?.Buyer;
        row.Grade = c?.Key.Names?.Grade;
        row.LoadPort = c?.Key.Names?.LoadPort;
        row.DischargePort = c?.Key.Names?.DischargePort;
        row.Barrels = c?.Barrels ?? 0;
        row.Tonnes = c?.Tonnes ?? 0;
        row.ValueUsd = c?.ValueUsd;
        return row;
    }
}
