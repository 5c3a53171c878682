using System.ComponentModel;
using EnergyTrade.Cli.Grpc;
using EnergyTrade.Cli.Input;
using EnergyTrade.Shipments.V1;
using Spectre.Console.Cli;

namespace EnergyTrade.Cli.Commands;

/// <summary>Which shipments: the options shipments list, export and republish share, as ListShipments' filters.</summary>
public abstract class ShipmentFilterSettings : GlobalSettings
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

    public DateOnly? FirstLoadDate => DateInput.TryParseDateOrMonth(From, endOfRange: false, out var d) ? d : null;
    public DateOnly? LastLoadDate => DateInput.TryParseDateOrMonth(To, endOfRange: true, out var d) ? d : null;

    /// <summary>Whether any filter was given.</summary>
    public bool IsFiltered => (Exporter ?? Importer ?? Origin ?? From ?? To) is not null;

    /// <summary>Adds what is wrong with the filters to <paramref name="problems"/>.</summary>
    protected void CheckFilters(List<string> problems)
    {
        if (From is { } from && !DateInput.TryParseDateOrMonth(from, endOfRange: false, out _)) problems.Add($"--from {DateInput.DescribeDate(from)} or YYYY-MM.");
        if (To is { } to && !DateInput.TryParseDateOrMonth(to, endOfRange: true, out _)) problems.Add($"--to {DateInput.DescribeDate(to)} or YYYY-MM.");
        if (FirstLoadDate is { } first && LastLoadDate is { } last && first > last) problems.Add($"--from {first:yyyy-MM-dd} is after --to {last:yyyy-MM-dd}.");
    }

    /// <summary>Country codes as the service expects them (upper case), dates as google.type.Date.</summary>
    public T ApplyTo<T>(T request) where T : IShipmentFilterRequest
    {
        request.ExporterCountry = CountryInput.Normalize(Exporter);
        request.ImporterCountry = CountryInput.Normalize(Importer);
        request.OriginCountry = CountryInput.Normalize(Origin);
        if (FirstLoadDate is { } first) request.FirstLoadDate = ProtoValues.Date(first);
        if (LastLoadDate is { } last) request.LastLoadDate = ProtoValues.Date(last);
        return request;
    }
}
