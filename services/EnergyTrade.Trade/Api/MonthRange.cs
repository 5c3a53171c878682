using EnergyTrade.ServiceDefaults;

namespace EnergyTrade.Trade.Api;

/// <summary>An inclusive range of months, either end open.</summary>
public sealed record MonthRange(DateOnly? First, DateOnly? Last)
{
    public static MonthRange Parse(Google.Type.Date? first, Google.Type.Date? last, string firstField, string lastField, FieldViolations violations)
    {
        DateOnly? from = null, to = null;
        if (first is not null)
        {
            if (ProtoConvert.TryGetMonth(first, out var m)) from = m;
            else violations.Add(firstField, "must be a month: a Date with year, month (1–12) and day 0.", "INVALID_MONTH");
        }
        if (last is not null)
        {
            if (ProtoConvert.TryGetMonth(last, out var m)) to = m;
            else violations.Add(lastField, "must be a month: a Date with year, month (1–12) and day 0.", "INVALID_MONTH");
        }
        if (from > to) violations.Add(lastField, $"{to:yyyy-MM} is before {firstField} {from:yyyy-MM}.", "EMPTY_RANGE");
        return new MonthRange(from, to);
    }
}
