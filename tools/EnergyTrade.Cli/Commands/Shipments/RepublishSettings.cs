using System.ComponentModel;
using EnergyTrade.Cli.Input;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EnergyTrade.Cli.Commands.Shipments;

public sealed class RepublishSettings : GlobalSettings
{
    [CommandOption("--exporter <CODE>")]
    [Description("Only shipments sold by this country")]
    public string? Exporter { get; set; }

    [CommandOption("--importer <CODE>")]
    [Description("Only shipments bought by this country")]
    public string? Importer { get; set; }

    [CommandOption("--origin <CODE>")]
    [Description("Only oil produced in this country")]
    public string? Origin { get; set; }

    [CommandOption("--from <DATE>")]
    [Description("Earliest load date, YYYY-MM-DD, or YYYY-MM for the start of a month")]
    public string? From { get; set; }

    [CommandOption("--to <DATE>")]
    [Description("Latest load date, inclusive: YYYY-MM-DD, or YYYY-MM for the end of a month")]
    public string? To { get; set; }

    [CommandOption("--no-wait")]
    [Description("Start the republish and print its operation name, without following its progress")]
    public bool NoWait { get; set; }

    [CommandOption("--cancel <OPERATION>")]
    [Description("Stop a running republish (operations/{id}, as printed when it started)")]
    public string? Cancel { get; set; }

    public override ValidationResult Validate()
    {
        var global = base.Validate();
        if (!global.Successful) return global;
        var problems = new List<string>();
        if (From is { } from && !DateInput.TryParseDateOrMonth(from, endOfRange: false, out _)) problems.Add($"--from {DateInput.DescribeDate(from)} or YYYY-MM.");
        if (To is { } to && !DateInput.TryParseDateOrMonth(to, endOfRange: true, out _)) problems.Add($"--to {DateInput.DescribeDate(to)} or YYYY-MM.");
        if (FirstLoadDate is { } first && LastLoadDate is { } last && first > last) problems.Add($"--from {first:yyyy-MM-dd} is after --to {last:yyyy-MM-dd}.");
        if (Cancel is { } name && !name.StartsWith("operations/", StringComparison.Ordinal)) problems.Add($"--cancel '{name}' is not an operation name: operations/{{id}}.");
        if (Cancel is not null && (Exporter ?? Importer ?? Origin ?? From ?? To) is not null) problems.Add("--cancel takes no filters: it stops a republish that is already running.");
        return problems.Count == 0 ? ValidationResult.Success() : ValidationResult.Error(string.Join(Environment.NewLine, problems));
    }

    public DateOnly? FirstLoadDate => DateInput.TryParseDateOrMonth(From, endOfRange: false, out var d) ? d : null;
    public DateOnly? LastLoadDate => DateInput.TryParseDateOrMonth(To, endOfRange: true, out var d) ? d : null;
}
