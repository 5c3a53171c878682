using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EnergyTrade.Cli.Commands.Shipments;

public sealed class ExportSettings : ShipmentFilterSettings
{
    [CommandOption("--format <FORMAT>")]
    [Description("csv (the columns shipments import reads, then name, version, state, barrels, tonnes, create_time, update_time; the default) or ndjson (one Shipment per line, in the proto JSON mapping)")]
    public string? Format { get; set; }

    [CommandOption("--file <PATH>")]
    [Description("Write to this file instead of standard output. It appears only when the export is complete")]
    public string? File { get; set; }

    public ExportFormat ExportFormat => Format?.Trim().ToLowerInvariant() == "ndjson" ? ExportFormat.Ndjson : ExportFormat.Csv;

    public override ValidationResult Validate()
    {
        var global = base.Validate();
        if (!global.Successful) return global;
        var problems = new List<string>();
        CheckFilters(problems);
        if (Format is { } format && format.Trim().ToLowerInvariant() is not ("csv" or "ndjson")) problems.Add($"--format '{format}' is not a format; use csv or ndjson.");
        // --output shapes the answers of other commands; an export's shape is its --format.
        if (Output is not null) problems.Add("--output does not apply to an export; use --format csv or --format ndjson.");
        if (File is { } file && string.IsNullOrWhiteSpace(file)) problems.Add("--file is empty; give a path, or leave it out to write to standard output.");
        return problems.Count == 0 ? ValidationResult.Success() : ValidationResult.Error(string.Join(Environment.NewLine, problems));
    }
}
