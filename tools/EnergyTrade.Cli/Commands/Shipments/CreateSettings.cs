using System.ComponentModel;
using EnergyTrade.Cli.Input;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EnergyTrade.Cli.Commands.Shipments;

public sealed class CreateSettings : GlobalSettings
{
    [CommandOption("--exporter <CODE>")]
    [Description("Seller's country, ISO 3166-1 alpha-2 (e.g. AZ). Required")]
    public string? Exporter { get; set; }

    [CommandOption("--importer <CODE>")]
    [Description("Buyer's country (e.g. BY). Required")]
    public string? Importer { get; set; }

    [CommandOption("--origin <CODE>")]
    [Description("Country where the oil was produced (e.g. AZ, RU, KZ). Required")]
    public string? Origin { get; set; }

    [CommandOption("--grade <NAME>")]
    [Description("Crude grade, e.g. \"Azeri Light\". Required")]
    public string? Grade { get; set; }

    [CommandOption("--quantity <AMOUNT>")]
    [Description("Quantity in --unit, exact decimal (e.g. 85000). Required")]
    public string? Quantity { get; set; }

    [CommandOption("--unit <UNIT>")]
    [Description("t (metric tonnes) or bbl (barrels). Required")]
    public string? Unit { get; set; }

    [CommandOption("--barrels-per-tonne <FACTOR>")]
    [Description("Conversion factor between the units, 5–10. Without it the service uses the grade's standard factor (grades list), or 7.33 for a grade it does not know")]
    public string? BarrelsPerTonne { get; set; }

    [CommandOption("--value-usd <USD>")]
    [Description("Invoice value in US dollars, whole cents (e.g. 25000000.00)")]
    public string? ValueUsd { get; set; }

    [CommandOption("--load-date <DATE>")]
    [Description("Day loading completed, YYYY-MM-DD; its month is the shipment's period. Required")]
    public string? LoadDate { get; set; }

    [CommandOption("--delivery-date <DATE>")]
    [Description("Day the cargo was delivered, YYYY-MM-DD")]
    public string? DeliveryDate { get; set; }

    [CommandOption("--load-port <NAME>")]
    public string? LoadPort { get; set; }

    [CommandOption("--discharge-port <NAME>")]
    public string? DischargePort { get; set; }

    [CommandOption("--shipper <COMPANY>")]
    [Description("Company that shipped the cargo, e.g. SOCAR")]
    public string? Shipper { get; set; }

    [CommandOption("--buyer <COMPANY>")]
    [Description("Company that received the cargo, e.g. a refinery")]
    public string? Buyer { get; set; }

    [CommandOption("--request-id <ID>")]
    [Description("Idempotency key: repeating the command with it returns the first shipment instead of recording another. A new UUID when left out")]
    public string? RequestId { get; set; }

    public override ValidationResult Validate()
    {
        var global = base.Validate();
        if (!global.Successful) return global;
        var problems = Problems();
        return problems.Count == 0 ? ValidationResult.Success() : ValidationResult.Error(string.Join(Environment.NewLine, problems));
    }

    /// <summary>Every problem with the options at once, so one attempt shows all that needs fixing.</summary>
    public List<string> Problems()
    {
        var problems = new List<string>();
        void Require(string? value, string option)
        {
            if (string.IsNullOrWhiteSpace(value)) problems.Add($"{option} is required.");
        }
        Require(Exporter, "--exporter");
        Require(Importer, "--importer");
        Require(Origin, "--origin");
        Require(Grade, "--grade");
        Require(Quantity, "--quantity");
        Require(Unit, "--unit");
        Require(LoadDate, "--load-date");
        if (Quantity is { Length: > 0 } q && !DecimalInput.TryParse(q, out _)) problems.Add($"--quantity {DecimalInput.Describe(q)}.");
        if (Unit is { Length: > 0 } u && !QuantityUnits.TryParse(u, out _)) problems.Add($"--unit '{u}' is not a unit; use {QuantityUnits.Expected}.");
        if (BarrelsPerTonne is { } f && !DecimalInput.TryParse(f, out _)) problems.Add($"--barrels-per-tonne {DecimalInput.Describe(f)}.");
        if (ValueUsd is { } v && (!DecimalInput.TryParse(v, out var usd) || usd.Scale > 9)) problems.Add($"--value-usd {DecimalInput.Describe(v)}.");
        if (LoadDate is { Length: > 0 } l && !DateInput.TryParseDate(l, out _)) problems.Add($"--load-date {DateInput.DescribeDate(l)}.");
        if (DeliveryDate is { } d && !DateInput.TryParseDate(d, out _)) problems.Add($"--delivery-date {DateInput.DescribeDate(d)}.");
        if (RequestId is { } id && id.Trim().Length == 0) problems.Add("--request-id is empty; leave it out to get a new one.");
        return problems;
    }

    /// <summary>The options as a draft; only valid after <see cref="Validate"/> succeeded.</summary>
    public ShipmentDraft ToDraft(Func<string> newRequestId)
    {
        DecimalInput.TryParse(Quantity, out var quantity);
        QuantityUnits.TryParse(Unit, out var unit);
        DateInput.TryParseDate(LoadDate, out var loadDate);
        return new ShipmentDraft
        {
            RequestId = RequestId?.Trim() is { Length: > 0 } id ? id : newRequestId(),
            Shipper = Shipper?.Trim() ?? "",
            Buyer = Buyer?.Trim() ?? "",
            ExporterCountry = CountryInput.Normalize(Exporter),
            ImporterCountry = CountryInput.Normalize(Importer),
            OriginCountry = CountryInput.Normalize(Origin),
            Grade = Grade?.Trim() ?? "",
            Quantity = quantity,
            Unit = unit,
            BarrelsPerTonne = DecimalInput.TryParse(BarrelsPerTonne, out var factor) ? factor : null,
            ValueUsd = DecimalInput.TryParse(ValueUsd, out var usd) ? usd : null,
            LoadDate = loadDate,
            DeliveryDate = DateInput.TryParseDate(DeliveryDate, out var delivered) ? delivered : null,
            LoadPort = LoadPort?.Trim() ?? "",
            DischargePort = DischargePort?.Trim() ?? "",
        };
    }
}
