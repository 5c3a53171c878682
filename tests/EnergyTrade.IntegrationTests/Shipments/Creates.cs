using EnergyTrade.Contracts;
using EnergyTrade.Shipments.V1;
using EnergyTrade.Testing;
using Google.Rpc;
using Npgsql;

namespace EnergyTrade.IntegrationTests.Shipments;

/// <summary>
/// Creates as the batch and import tests send them, and what those leave in the Shipments database,
/// counted there directly.
/// </summary>
internal static class Creates
{
    /// <summary>A valid create of its own: <paramref name="i"/> makes its quantity (1,000 + i bbl) and so tells it apart.</summary>
    public static CreateShipmentRequest Request(int i, string? requestId = null) => new()
    {
        Shipment = SeedShipments.Cargo("AZ", "Azeri Light", 1_000m + i, Quantity.Types.Unit.Barrels, null, 2020, 3, i % 28 + 1, "Supsa"),
        RequestId = requestId ?? Guid.NewGuid().ToString(),
    };

    /// <summary>Rows of every table a create writes: shipments, revisions, outbox messages.</summary>
    public static async Task<(long Shipments, long Revisions, long Events)> Written(ServiceUnderTest sut) => (
        await sut.ShipmentsDb.ScalarAsync<long>("SELECT count(*) FROM shipments"),
        await sut.ShipmentsDb.ScalarAsync<long>("SELECT count(*) FROM shipment_revisions"),
        await sut.ShipmentsDb.ScalarAsync<long>("SELECT count(*) FROM outbox_messages"));

    /// <summary>Shipments that have their first revision and their outbox row: every one a create wrote whole.</summary>
    public static Task<long> WrittenWhole(ServiceUnderTest sut) => sut.ShipmentsDb.ScalarAsync<long>(
        "SELECT count(*) FROM shipments s JOIN shipment_revisions r ON r.shipment_id = s.id AND r.version = 1 " +
        "JOIN outbox_messages o ON o.shipment_id = s.id");

    /// <summary>
    /// Waits for the outbox to drain, then checks Trade's queue (with Outbox:MaxEventsPerMessage=1, a message an event)
    /// holds one event per shipment. A second copy is allowed only of an event whose publish RabbitMQ had not confirmed
    /// within Outbox:PublishTimeout (it may have arrived all the same) and which the relay therefore sent again: delivery
    /// is at least once, Trade absorbs repeats by version. A slow CI day saw 2 such copies among 300.
    /// </summary>
    public static async Task AssertOneEventPerShipmentInTradesQueueAsync(ServiceUnderTest sut, int shipments)
    {
        await Eventually.MatchAsync(() => sut.ShipmentsDb.ScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL"),
            n => n == 0, TimeSpan.FromSeconds(60), "the outbox to drain");
        var queue = await Eventually.MatchAsync(() => sut.VirtualHost.GetQueueAsync(QueueNames.TradeShipmentEvents),
            q => q?.Total >= shipments, TimeSpan.FromSeconds(20), $"{shipments} events in Trade's queue");
        var resent = await sut.ShipmentsDb.ScalarAsync<long>("SELECT coalesce(sum(attempts - 1), 0) FROM outbox_messages");
        Assert.True(queue!.Total >= shipments && queue.Total <= shipments + resent,
            $"{queue.Total} messages in Trade's queue for {shipments} shipments, of which {resent} publishes were sent again after an unconfirmed one");
    }

    /// <summary>The resource name of the shipment holding each request_id.</summary>
    public static async Task<Dictionary<string, string>> NamesByRequestId(ServiceUnderTest sut)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var connection = new NpgsqlConnection(sut.ShipmentsDb.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT request_id, id FROM shipments WHERE request_id IS NOT NULL", connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) names.Add(reader.GetString(0), $"shipments/{reader.GetGuid(1):D}");
        return names;
    }

    /// <summary>
    /// Each of <paramref name="requests"/> is written once and whole (its row, its first revision, its
    /// outbox row) and nothing else is; <paramref name="names"/>, in request order, name those shipments.
    /// </summary>
    public static async Task AssertWrittenOnce(ServiceUnderTest sut, IReadOnlyList<CreateShipmentRequest> requests, IEnumerable<string> names)
    {
        var held = await NamesByRequestId(sut);
        Assert.Equal(requests.Select(r => held[r.RequestId]), names);
        long count = requests.Count;
        Assert.Equal((count, count, count), await Written(sut));
        Assert.Equal(count, await WrittenWhole(sut));
    }

    public static IEnumerable<string> ViolatedFields(Google.Rpc.Status status) =>
        status.Details.Where(d => d.Is(BadRequest.Descriptor)).SelectMany(d => d.Unpack<BadRequest>().FieldViolations).Select(v => v.Field);

    public static ErrorInfo ErrorInfoOf(Google.Rpc.Status status) => status.Details.Single(d => d.Is(ErrorInfo.Descriptor)).Unpack<ErrorInfo>();
}
