using System.ComponentModel;
using EnergyTrade.Cli.Input;
using EnergyTrade.Trade.V1;
using Spectre.Console;
using Spectre.Console.Cli;
using EnergyTrade.Types.V1;

namespace EnergyTrade.Cli.Commands.Trade;

public sealed class PartnersSettings : GlobalSettings
{
    public const int MaxPageSize = 1000;

    [CommandArgument(0, "<COUNTRY>")]
    [Description("Reporting country, ISO 3166-1 alpha-2 (e.g. AZ)")]
    public string Country { get; set; } = "";

    [CommandOption("--from <MONTH>")]
    [Description("First month, inclusive, YYYY-MM. Default: unbounded")]
    public string? From { get; set; }

    [CommandOption("--to <MONTH>")]
    [Description("Last month, inclusive, YYYY-MM. Default: unbounded")]
    public string? To { get; set; }

    [CommandOption("--basis <BASIS>")]
    [Description("commercial (exporter = seller's country, the default) or origin (exporter = where the oil was produced)")]
    public string? Basis { get; set; }

    [CommandOption("--order-by <ORDER>")]
    [Description("turnover (value of exports + imports, the default) or barrels (exports + imports)")]
    public string? OrderBy { get; set; }

    [CommandOption("--as-of <INSTANT>")]
    [Description(SliceSettings.AsOfDescription)]
    public string? AsOf { get; set; }

    [CommandOption("--page-size <N>")]
    [Description("Partners per page, 1–1000. Default: the service's (50)")]
    public int? PageSize { get; set; }

    [CommandOption("--page-token <TOKEN>")]
    [Description("Continue from where a previous page ended (same country, months, basis and order)")]
    public string? PageToken { get; set; }

    [CommandOption("--all")]
    [Description("Fetch every page, not just the first")]
    public bool All { get; set; }

    public override ValidationResult Validate()
    {
        var global = base.Validate();
        if (!global.Successful) return global;
        var problems = new List<string>();
        MonthRangeInput.Check(From, To, problems);
        if (Basis is { } basis && !BasisInput.TryParse(basis, allowBoth: false, out _)) problems.Add(BasisInput.Describe(basis));
        InstantInput.Check("--as-of", AsOf, DateMeans.EndOfDay, problems);
        if (OrderBy is { } order && ParseOrder(order) is null) problems.Add($"--order-by '{order}' is not an order; use turnover or barrels.");
        if (PageSize is { } size && size is < 1 or > MaxPageSize) problems.Add($"--page-size {size} is out of range; use 1 to {MaxPageSize}.");
        return problems.Count == 0 ? ValidationResult.Success() : ValidationResult.Error(string.Join(Environment.NewLine, problems));
    }

    public DateOnly? FirstMonth => MonthRangeInput.Parse(From);
    public DateOnly? LastMonth => MonthRangeInput.Parse(To);
    public bool OriginBasis => BasisInput.TryParse(Basis, allowBoth: false, out var basis) && basis == BasisChoice.Origin;
    public Google.Protobuf.WellKnownTypes.Timestamp? AsOfInstant => InstantInput.Parse(AsOf, DateMeans.EndOfDay);
    public ListPartnersRequest.Types.OrderBy Order => ParseOrder(OrderBy) ?? ListPartnersRequest.Types.OrderBy.TurnoverValue;

    private static ListPartnersRequest.Types.OrderBy? ParseOrder(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        null or "turnover" => ListPartnersRequest.Types.OrderBy.TurnoverValue,
        "barrels" => ListPartnersRequest.Types.OrderBy.Barrels,
        _ => null,
    };
}
