using System.ComponentModel;
using EnergyTrade.Cli.Import;
using EnergyTrade.Contracts;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EnergyTrade.Cli.Commands.Shipments;

public sealed class ImportSettings : GlobalSettings
{
    [CommandArgument(0, "<FILE>")]
    [Description("CSV file: a header row, one shipment per line, '#' starts a comment line. " +
        "Columns: request_id,shipper,exporter_country,importer_country,origin_country,grade,quantity,unit,load_date " +
        "and optionally barrels_per_tonne,value_usd,delivery_date,load_port,discharge_port,buyer; " +
        "the output-only columns of shipments export (name,version,state,barrels,tonnes,create_time,update_time) are read past")]
    public string File { get; set; } = "";

    [CommandOption("--dry-run")]
    [Description("Check every row on the service (validate_only) and record nothing")]
    public bool DryRun { get; set; }

    [CommandOption("--errors <FILE>")]
    [Description("Where to list every rejected row (line, request_id, column, problem). Default: FILE.errors.csv")]
    public string? Errors { get; set; }

    [CommandOption("--restart")]
    [Description("Import from the first line even if an earlier run of this file stopped part-way (it resumes by default)")]
    public bool Restart { get; set; }

    [CommandOption("--chunk-size <ROWS>")]
    [Description("Rows per chunk sent to the service, 1–1000. Default: 250")]
    public int ChunkSize { get; set; } = ShipmentImporter.DefaultChunkSize;

    [CommandOption("--window <CHUNKS>")]
    [Description("Chunks sent ahead of the service's answers, 1–64. Default: 8")]
    public int Window { get; set; } = ShipmentImporter.DefaultWindow;

    public override ValidationResult Validate()
    {
        var global = base.Validate();
        if (!global.Successful) return global;
        if (string.IsNullOrWhiteSpace(File)) return ValidationResult.Error("FILE is empty.");
        if (ChunkSize is < 1 or > Limits.MaxCreatesPerBatch) return ValidationResult.Error($"--chunk-size {ChunkSize} is out of range; use 1 to {Limits.MaxCreatesPerBatch}.");
        if (Window is < 1 or > 64) return ValidationResult.Error($"--window {Window} is out of range; use 1 to 64.");
        return ValidationResult.Success();
    }
}
