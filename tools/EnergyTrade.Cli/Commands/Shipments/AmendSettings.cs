using System.ComponentModel;
using EnergyTrade.Cli.Grpc;
using EnergyTrade.Cli.Input;
using EnergyTrade.Shipments.V1;
using Google.Protobuf.WellKnownTypes;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EnergyTrade.Cli.Commands.Shipments;

public sealed class AmendSettings : GlobalSettings
{
    [CommandArgument(0, "<NAME>")]
    [Description("The shipment's resource name, shipments/{id} (the bare id works too)")]
    public string Name { get; set; } = "";

    [CommandOption("--shipper <COMPANY>")]
    [Description("Company that shipped the cargo; \"\" removes it")]
    public string? Shipper { get; set; }

    [CommandOption("--buyer <COMPANY>")]
    [Description("Company that received the cargo; \"\" removes it")]
    public string? Buyer { get; set; }

    [CommandOption("--exporter <CODE>")]
    [Description("Seller's country, ISO 3166-1 alpha-2")]
    public string? Exporter { get; set; }

    [CommandOption("--importer <CODE>")]
    [Description("Buyer's country")]
    public string? Importer { get; set; }

    [CommandOption("--origin <CODE>")]
    [Description("Country where the oil was produced")]
    public string? Origin { get; set; }

    [CommandOption("--grade <NAME>")]
    [Description("Crude grade, e.g. Urals")]
    public string? Grade { get; set; }

    [CommandOption("--quantity <AMOUNT>")]
    [Description("Quantity, exact decimal (e.g. 85000). --quantity, --unit and --barrels-per-tonne replace the quantity together; any left out keep what is recorded")]
    public string? Quantity { get; set; }

    [CommandOption("--unit <UNIT>")]
    [Description("t (metric tonnes) or bbl (barrels)")]
    public string? Unit { get; set; }

    [CommandOption("--barrels-per-tonne <FACTOR>")]
    [Description("Conversion factor between the units, 5–10; none replaces it with the grade's standard factor (7.33 for a grade the service does not know)")]
    public string? BarrelsPerTonne { get; set; }

    [CommandOption("--value-usd <USD>")]
    [Description("Invoice value in US dollars, whole cents; none removes it")]
    public string? ValueUsd { get; set; }

    [CommandOption("--load-date <DATE>")]
    [Description("Day loading completed, YYYY-MM-DD (its month is the shipment's period)")]
    public string? LoadDate { get; set; }

    [CommandOption("--delivery-date <DATE>")]
    [Description("Day the cargo was delivered, YYYY-MM-DD; none removes it")]
    public string? DeliveryDate { get; set; }

    [CommandOption("--load-port <NAME>")]
    [Description("\"\" removes it")]
    public string? LoadPort { get; set; }

    [CommandOption("--discharge-port <NAME>")]
    [Description("\"\" removes it")]
    public string? DischargePort { get; set; }

    [CommandOption("--reason <TEXT>")]
    [Description("Why, e.g. \"seller's final invoice\"; kept with the new version (shipments history). At most 512 characters")]
    public string? Reason { get; set; }

    [CommandOption("--version <N>")]
    [Description("Amend only if the shipment is still at this version (as `shipments get` showed it); else nothing changes and the command fails. " +
        "Without it the CLI reads the shipment, applies the change to what it read, and tries again if it changed in between")]
    public long? Version { get; set; }

    public override ValidationResult Validate()
    {
        var global = base.Validate();
        if (!global.Successful) return global;
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Name)) problems.Add("NAME is empty; give shipments/{id}.");
        if (MaskPaths.Count == 0)
        {
            problems.Add("Nothing to amend: give at least one of --shipper, --buyer, --exporter, --importer, --origin, --grade, --quantity, --unit, " +
                "--barrels-per-tonne, --value-usd, --load-date, --delivery-date, --load-port, --discharge-port.");
        }
        if (Quantity is { } q && !DecimalInput.TryParse(q, out _)) problems.Add($"--quantity {DecimalInput.Describe(q)}.");
        if (Unit is { } u && !QuantityUnits.TryParse(u, out _)) problems.Add($"--unit '{u}' is not a unit; use {QuantityUnits.Expected}.");
        if (BarrelsPerTonne is { } f && !ClearableInput.IsNone(f) && !DecimalInput.TryParse(f, out _)) problems.Add($"--barrels-per-tonne {DecimalInput.Describe(f)}, or none.");
        if (ValueUsd is { } v && !ClearableInput.IsNone(v) && (!DecimalInput.TryParse(v, out var usd) || usd.Scale > 9)) problems.Add($"--value-usd {DecimalInput.Describe(v)}, or none.");
        if (LoadDate is { } l && !DateInput.TryParseDate(l, out _)) problems.Add($"--load-date {DateInput.DescribeDate(l)}.");
        if (DeliveryDate is { } d && !ClearableInput.IsNone(d) && !DateInput.TryParseDate(d, out _)) problems.Add($"--delivery-date {DateInput.DescribeDate(d)}, or none.");
        if (Version is { } version && version < 1) problems.Add($"--version {version} is not a version; versions start at 1.");
        return problems.Count == 0 ? ValidationResult.Success() : ValidationResult.Error(string.Join(Environment.NewLine, problems));
    }

    public string ResourceName => ShipmentNameInput.ToResourceName(Name);

    /// <summary>
    /// The update_mask: exactly the fields given, in the order of Shipment. The quantity options
    /// together are the one "quantity" path, since value, unit and factor only mean something together.
    /// </summary>
    public IReadOnlyList<string> MaskPaths
    {
        get
        {
            var paths = new List<string>();
            void Add(object? option, string path)
            {
                if (option is not null && !paths.Contains(path)) paths.Add(path);
            }
            Add(Shipper, "shipper");
            Add(Buyer, "buyer");
            Add(Exporter, "exporter_country");
            Add(Importer, "importer_country");
            Add(Origin, "origin_country");
            Add(Grade, "grade");
            Add(Quantity, "quantity");
            Add(Unit, "quantity");
            Add(BarrelsPerTonne, "quantity");
            Add(ValueUsd, "value");
            Add(LoadDate, "load_date");
            Add(DeliveryDate, "delivery_date");
            Add(LoadPort, "load_port");
            Add(DischargePort, "discharge_port");
            return paths;
        }
    }

    /// <summary>
    /// The UpdateShipment request; only valid after <see cref="Validate"/> succeeded. Quantity options
    /// left out keep what <paramref name="current"/> records, so "--quantity 85000" keeps the unit and factor.
    /// </summary>
    public UpdateShipmentRequest ToRequest(Shipment current, long version)
    {
        var patch = new Shipment { Name = current.Name.Length > 0 ? current.Name : ResourceName, Version = version };
        if (Shipper is { } shipper) patch.Shipper = shipper.Trim();
        if (Buyer is { } buyer) patch.Buyer = buyer.Trim();
        if (Exporter is { } exporter) patch.ExporterCountry = CountryInput.Normalize(exporter);
        if (Importer is { } importer) patch.ImporterCountry = CountryInput.Normalize(importer);
        if (Origin is { } origin) patch.OriginCountry = CountryInput.Normalize(origin);
        if (Grade is { } grade) patch.Grade = grade.Trim();
        if (MaskPaths.Contains("quantity"))
        {
            var quantity = current.Quantity?.Clone() ?? new Quantity();
            if (DecimalInput.TryParse(Quantity, out var amount)) quantity.Value = ProtoValues.Decimal(amount);
            if (QuantityUnits.TryParse(Unit, out var unit))
            {
                quantity.Unit = unit == QuantityUnit.Barrels ? EnergyTrade.Shipments.V1.Quantity.Types.Unit.Barrels : EnergyTrade.Shipments.V1.Quantity.Types.Unit.MetricTonnes;
            }
            if (ClearableInput.IsNone(BarrelsPerTonne)) quantity.BarrelsPerTonne = null;
            else if (DecimalInput.TryParse(BarrelsPerTonne, out var factor)) quantity.BarrelsPerTonne = ProtoValues.Decimal(factor);
            patch.Quantity = quantity;
        }
        if (ValueUsd is { } value && !ClearableInput.IsNone(value) && DecimalInput.TryParse(value, out var usd)) patch.Value = ProtoValues.Money(usd);
        if (DateInput.TryParseDate(LoadDate, out var loaded)) patch.LoadDate = ProtoValues.Date(loaded);
        if (DateInput.TryParseDate(DeliveryDate, out var delivered)) patch.DeliveryDate = ProtoValues.Date(delivered);
        if (LoadPort is { } loadPort) patch.LoadPort = loadPort.Trim();
        if (DischargePort is { } dischargePort) patch.DischargePort = dischargePort.Trim();
        var mask = new FieldMask();
        mask.Paths.AddRange(MaskPaths);
        return new UpdateShipmentRequest { Shipment = patch, UpdateMask = mask, Reason = Reason?.Trim() ?? "" };
    }
}
