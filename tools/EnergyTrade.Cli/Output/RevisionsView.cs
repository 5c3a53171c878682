using EnergyTrade.Shipments.V1;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace EnergyTrade.Cli.Output;

/// <summary>A shipment's history: one line per version, newest first, with what changed, who changed it and why.</summary>
public static class RevisionsView
{
    public static IRenderable Render(string name, IReadOnlyList<ShipmentRevision> revisions)
    {
        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumn(new TableColumn("Version") { Alignment = Justify.Right }.NoWrap());
        table.AddColumn(new TableColumn("Updated").NoWrap());
        table.AddColumns("Change", "Fields changed", "By", "Reason");
        table.AddColumn(new TableColumn("Barrels") { Alignment = Justify.Right }.NoWrap());
        table.AddColumn("State");
        foreach (var r in revisions)
        {
            table.AddRow(Cells.Of(
                Numbers.Count(r.Shipment.Version),
                ShipmentView.Timestamp(r.UpdateTime),
                Kind(r.Kind),
                Changed(r),
                Actor(r),
                r.Reason,
                Numbers.Barrels(r.Shipment.Barrels),
                ShipmentView.State(r.Shipment.State)));
        }
        var rows = new List<IRenderable>
        {
            new Text($"{name}: {Numbers.Count(revisions.Count)} version(s) on record, newest first.{Environment.NewLine}", new Style(decoration: Decoration.Bold)),
            table,
        };
        if (revisions.LastOrDefault() is { Kind: RevisionKind.Recorded } first && first.Shipment.Version > 1)
        {
            rows.Add(new Text($"Versions before {first.Shipment.Version} were made before Shipments kept revisions and are not known.{Environment.NewLine}", new Style(Color.Grey)));
        }
        return new Rows(rows);
    }

    /// <summary>A create sets every field it was given: listing them all would only push the other columns off the screen (JSON has them).</summary>
    private static string Changed(ShipmentRevision r) =>
        r.Kind == RevisionKind.Created ? "(all)" : string.Join(", ", r.ChangedFields?.Paths ?? []);

    private static string Kind(RevisionKind kind) => kind switch
    {
        RevisionKind.Created => "created",
        RevisionKind.Updated => "amended",
        RevisionKind.Cancelled => "cancelled",
        RevisionKind.Recorded => "recorded",
        _ => "unspecified",
    };

    /// <summary>The token's subject, with the client it was issued to when that says more.</summary>
    private static string Actor(ShipmentRevision r) => (r.ActorSubject, r.ActorClient) switch
    {
        ("", "") => "",
        (var subject, "") => subject,
        ("", var client) => client,
        var (subject, client) when subject == client => subject,
        var (subject, client) => $"{subject} ({client})",
    };
}
