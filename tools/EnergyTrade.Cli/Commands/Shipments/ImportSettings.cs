using System.ComponentModel;
using EnergyTrade.Cli.Import;
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

    [CommandOption("--parallel <N>")]
    [Description("Rows sent at once, 1–64. Default: 4")]
    public int Parallel { get; set; } = ShipmentImporter.DefaultParallelism;

    [CommandOption("--dry-run")]
    [Description("Only read and check the file; send nothing")]
    public bool DryRun { get; set; }

    public override ValidationResult Validate()
    {
        var global = base.Validate();
        if (!global.Successful) return global;
        if (string.IsNullOrWhiteSpace(File)) return ValidationResult.Error("FILE is empty.");
        if (Parallel is < 1 or > 64) return ValidationResult.Error($"--parallel {Parallel} is out of range; use 1 to 64.");
        return ValidationResult.Success();
    }
}
