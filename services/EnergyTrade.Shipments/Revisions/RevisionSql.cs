namespace EnergyTrade.Shipments.Revisions;

/// <summary>
/// The one INSERT of revisions, for both write paths: from the rows the group commit is inserting and
/// from the row an update or cancel just saved, so a revision always shows the stored row itself.
/// </summary>
public static class RevisionSql
{
    /// <summary>
    /// The shipments row <paramref name="row"/> as jsonb, read back with jsonb_populate_record(NULL::shipments, …)
    /// (<see cref="RevisionHistory"/>): the table states the columns once, for the rows and their images alike.
    /// The idempotency key and fingerprint belong to the create request, not to a version. A column added to
    /// shipments later is absent from the older images, so it must be nullable, or its migration must write it
    /// into them (UPDATE shipment_revisions SET shipment = shipment || …), or those revisions cannot be read.
    /// </summary>
    public static string Image(string row) => $"to_jsonb({row}) - 'request_id' - 'request_fingerprint'";

    /// <summary>
    /// INSERT … SELECT of one revision per row <paramref name="row"/> of <paramref name="from"/> (a FROM clause
    /// with any joins and conditions), with the other columns given as SQL expressions.
    /// </summary>
    public static string InsertFrom(string row, string from, string kind, string changedFields, string actorSubject, string actorClient, string reason) => $"""
        INSERT INTO shipment_revisions (shipment_id, version, update_time, kind, changed_fields, actor_subject, actor_client, reason, shipment)
        SELECT {row}.id, {row}.version, {row}.update_time, {kind}, {changedFields}, {actorSubject}, {actorClient}, {reason}, {Image(row)}
        {from}
        """;
}
