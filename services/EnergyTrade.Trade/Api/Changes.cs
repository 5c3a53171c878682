using EnergyTrade.ServiceDefaults;
using V1 = EnergyTrade.Trade.V1;

namespace EnergyTrade.Trade.Api;

/// <summary>How a figure moved between two periods.</summary>
public static class Changes
{
    public static V1.Change Of(decimal previous, decimal current)
    {
        var change = new V1.Change
        {
            Previous = ProtoConvert.ToProtoDecimal(previous),
            Current = ProtoConvert.ToProtoDecimal(current),
            Absolute = ProtoConvert.ToProtoDecimal(current - previous),
        };
        if (Percent(previous, current) is { } percent) change.Percent = ProtoConvert.ToProtoDecimal(percent);
        return change;
    }

    /// <summary>
    /// (current − previous) / previous × 100, half-even to 2 places; null when previous is 0, where
    /// no percentage means anything. Multiplying before dividing keeps the one inexact step (the
    /// division, at 28 significant digits) last, so a true tie such as 12.345 stays a tie.
    /// </summary>
    public static decimal? Percent(decimal previous, decimal current)
    {
        if (previous == 0) return null;
        return Math.Round((current - previous) * 100 / previous, 2, MidpointRounding.ToEven);
    }
}
