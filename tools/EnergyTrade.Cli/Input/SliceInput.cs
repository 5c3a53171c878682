using EnergyTrade.Trade.V1;

namespace EnergyTrade.Cli.Input;

/// <summary>--group-by and --period as typed.</summary>
public static class SliceInput
{
    public const string Dimensions = "origin, shipper, buyer, grade, load-port or discharge-port";

    private static readonly Dictionary<string, Dimension> ByName = new(StringComparer.OrdinalIgnoreCase)
    {
        ["origin"] = Dimension.Origin,
        ["shipper"] = Dimension.Shipper,
        ["buyer"] = Dimension.Buyer,
        ["grade"] = Dimension.Grade,
        ["load-port"] = Dimension.LoadPort,
        ["discharge-port"] = Dimension.DischargePort,
    };

    public static bool TryParseGroupBy(string? text, out IReadOnlyList<Dimension> dimensions, out string? problem)
    {
        var found = new List<Dimension>();
        dimensions = found;
        problem = null;
        if (string.IsNullOrWhiteSpace(text)) return true;
        foreach (var name in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!ByName.TryGetValue(name, out var dimension))
            {
                problem = $"--group-by '{name}' is not one of {Dimensions}.";
                return false;
            }
            if (found.Contains(dimension))
            {
                problem = $"--group-by names {name} twice.";
                return false;
            }
            found.Add(dimension);
        }
        return true;
    }

    /// <summary>Null (not given) is loading.</summary>
    public static bool TryParsePeriod(string? text, out PeriodBasis period)
    {
        period = text?.Trim().ToLowerInvariant() switch
        {
            null or "loading" => PeriodBasis.Loading,
            "delivery" => PeriodBasis.Delivery,
            _ => PeriodBasis.Unspecified,
        };
        return period != PeriodBasis.Unspecified;
    }

    public static string DescribePeriod(string text) => $"--period '{text}' is not loading or delivery.";

    /// <summary>"grade", "load port": how a dimension heads a column.</summary>
    public static string Heading(Dimension dimension) =>
        ByName.First(p => p.Value == dimension).Key.Replace('-', ' ');
}
