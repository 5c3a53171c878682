using EnergyTrade.Client;
using EnergyTrade.Contracts;
using EnergyTrade.Shipments.V1;
using EnergyTrade.Web.Api;

namespace EnergyTrade.Web.Shipments;

/// <summary>
/// /api/shipments: the shipments behind one bar — a direction, a month and optionally one origin, with the
/// pair view's filters — as Trade counts them (cancelled ones are not counted); /api/shipments.csv: the same.
/// </summary>
public static class ShipmentEndpoints
{
    /// <summary>The origin parameter's value for oil whose origin was not disclosed; a buyer's or port's for none recorded.</summary>
    public const string Undisclosed = "-";

    /// <summary>
    /// Shipments lists by load date only: a month by delivery looks for cargoes loaded up to this long
    /// before it, which covers the longest voyages with room to spare.
    /// </summary>
    private const int LongestVoyageMonths = 6;

    public sealed record ShipmentView(string Id, string Shipper, string Buyer, string Exporter, string Importer, string Origin, string Grade,
        string Barrels, string Tonnes, string? Value, string LoadDate, string? DeliveryDate, string LoadPort, string DischargePort);

    /// <param name="Truncated">More matched than <see cref="MaxShipments"/>: the CSV of the bar has them all.</param>
    public sealed record ShipmentsView(IReadOnlyList<ShipmentView> Shipments, bool Truncated);

    /// <summary>What the page lists at most; a bar of more is better read as a CSV.</summary>
    public const int MaxShipments = 2_000;

    public static IEndpointRouteBuilder MapShipmentEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/shipments", async (HttpRequest request, ShipmentService.ShipmentServiceClient shipments, CancellationToken cancellationToken) =>
        {
            var found = await ReadAsync(request.Query, shipments, cancellationToken, MaxShipments + 1);
            return TypedResults.Json(new ShipmentsView([.. found.Take(MaxShipments)], found.Count > MaxShipments));
        });

        app.MapGet("/api/shipments.csv", async (HttpRequest request, ShipmentService.ShipmentServiceClient shipments, CancellationToken cancellationToken) =>
        {
            var rows = await ReadAsync(request.Query, shipments, cancellationToken, int.MaxValue);
            return CsvFile.Result($"shipments-{request.Query.Code("exporter")}-{request.Query.Code("importer")}-{request.Query.Required("month")}.csv",
                ["id", "shipper", "buyer", "exporter", "importer", "origin", "grade", "barrels", "tonnes", "value_usd", "load_date", "delivery_date", "load_port", "discharge_port"],
                rows.Select(s => new[] { s.Id, s.Shipper, s.Buyer, s.Exporter, s.Importer, s.Origin, s.Grade, s.Barrels, s.Tonnes, s.Value ?? "", s.LoadDate, s.DeliveryDate ?? "", s.LoadPort, s.DischargePort }));
        });
        return app;
    }

    /// <summary>Trade's rule for names (<see cref="Names.Key"/>); "-" asks for shipments that recorded none.</summary>
    private static bool Matches(string wanted, string name) =>
        wanted.Length == 0 || (wanted == Undisclosed ? Names.Key(name).Length == 0 : Names.Key(name) == wanted);

    /// <summary>A country code, or WORLD (every partner: no filter); a group's bars are opened member by member.</summary>
    private static string Country(IQueryCollection query, string name)
    {
        var code = query.Code(name);
        if (code == "WORLD") return "";
        return CountryCodes.IsAssigned(code)
            ? code
            : throw new BadQueryException($"'{name}' {code} is not a country: the shipments behind a group's bars are listed for one member at a time.");
    }

    private static async Task<List<ShipmentView>> ReadAsync(IQueryCollection query, ShipmentService.ShipmentServiceClient shipments,
        CancellationToken cancellationToken, int limit)
    {
        var month = query.Month("month");
        var byDelivery = query.Optional("period").Equals("delivery", StringComparison.OrdinalIgnoreCase);
        var origin = query.Optional("origin").ToUpperInvariant();
        var (shipper, buyer, grade) = (Names.Key(query.Optional("shipper")), Names.Key(query.Optional("buyer")), Names.Key(query.Optional("grade")));
        var (loadPort, dischargePort) = (Names.Key(query.Optional("loadPort")), Names.Key(query.Optional("dischargePort")));
        var request = new ListShipmentsRequest
        {
            ExporterCountry = Country(query, "exporter"),
            ImporterCountry = Country(query, "importer"),
            OriginCountry = origin is "" or Undisclosed ? "" : origin,
            FirstLoadDate = ProtoValues.Date(byDelivery ? month.AddMonths(-LongestVoyageMonths) : month),
            LastLoadDate = ProtoValues.Date(month.AddMonths(1).AddDays(-1)),
            PageSize = 1000,
        };

        var found = new List<ShipmentView>();
        do
        {
            var page = await shipments.ListShipmentsAsync(request, cancellationToken: cancellationToken);
            foreach (var s in page.Shipments)
            {
                if (s.State == Shipment.Types.State.Cancelled) continue;
                // Trade counts no country's trade with itself, WORLD included.
                if (s.ExporterCountry == s.ImporterCountry) continue;
                if (origin == Undisclosed && s.OriginCountry.Length > 0) continue;
                if (!Matches(shipper, s.Shipper) || !Matches(buyer, s.Buyer) || !Matches(grade, s.Grade)) continue;
                if (!Matches(loadPort, s.LoadPort) || !Matches(dischargePort, s.DischargePort)) continue;
                if (byDelivery && !(s.DeliveryDate is { Year: > 0 } d && d.Year == month.Year && d.Month == month.Month)) continue;
                found.Add(new ShipmentView(s.Name, s.Shipper, s.Buyer, s.ExporterCountry, s.ImporterCountry, s.OriginCountry, s.Grade,
                    Figures.Text(s.Barrels), Figures.Text(s.Tonnes), Figures.TextOrNull(s.Value),
                    ProtoValues.Format(s.LoadDate), s.DeliveryDate is { Year: > 0 } ? ProtoValues.Format(s.DeliveryDate) : null, s.LoadPort, s.DischargePort));
            }
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0 && found.Count < limit);
        return found;
    }
}
