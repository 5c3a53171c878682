using EnergyTrade.Shipments.V1;
using EnergyTrade.Testing;
using static EnergyTrade.IntegrationTests.ServiceUnderTest;

namespace EnergyTrade.IntegrationTests.Shipments.Upgrade;

/// <summary>
/// Upgrading a Shipments database that the previous release (migrations up to UndisclosedOrigin)
/// filled: the Revisions migration gives every stored shipment its current version as a Recorded
/// revision, and the history goes on from there.
/// </summary>
[Trait("Category", "Integration")]
public sealed class RevisionsUpgradeTests
{
    private static readonly Guid Amended = Guid.Parse("0190f1a2-7b3c-7d4e-8f50-61728394a5b6");
    private static readonly Guid Cancelled = Guid.Parse("0190f1a2-7b3c-7d4e-8f50-61728394a5b7");

    /// <summary>Rows as the previous release wrote them: one amended twice, with every optional field; one cancelled, of undisclosed origin.</summary>
    private const string StoredBefore = """
        INSERT INTO shipments (id, version, state, shipper, buyer, exporter_country, importer_country, origin_country, grade,
            quantity_value, quantity_unit, barrels_per_tonne, barrels_per_tonne_given, barrels, tonnes, value_usd, load_date, delivery_date,
            load_port, discharge_port, cancel_reason, create_time, update_time, request_id, request_fingerprint)
        VALUES
            ('0190f1a2-7b3c-7d4e-8f50-61728394a5b6', 3, 'Active', 'SOCAR', 'Naftan', 'AZ', 'BY', 'AZ', 'Azeri Light',
             85000.5, 'MetricTonnes', 7.45, true, 633253.725, 85000.500, 30000000.17, '2020-03-27', '2020-04-02',
             'Supsa', 'Odesa', NULL, '2026-01-02T03:04:05.123456Z', '2026-01-05T06:07:08.654321Z', 'import-row-17', 'f1ngerpr1nt'),
            ('0190f1a2-7b3c-7d4e-8f50-61728394a5b7', 2, 'Cancelled', 'SOCAR', NULL, 'AZ', 'BY', NULL, 'CPC Blend',
             1200000, 'Barrels', 7.33, false, 1200000.000, 163710.778, NULL, '2020-02-11', NULL,
             NULL, NULL, 'booked twice', '2026-01-03T00:00:00Z', '2026-01-04T00:00:00Z', NULL, NULL);
        """;

    [Fact]
    public async Task Shipments_stored_before_revisions_were_kept_start_their_history_with_a_recorded_revision_of_their_current_version()
    {
        await using var sut = await ServiceUnderTest.CreateAsync("revisions-upgrade");
        await sut.ShipmentsDb.CreateAsync();
        await sut.ShipmentsDb.ExecuteAsync(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Shipments", "Upgrade", "shipments-before-revisions.sql")));
        await sut.ShipmentsDb.ExecuteAsync(StoredBefore);

        var (_, shipments) = await sut.StartShipmentsAsync();

        foreach (var (id, version) in new[] { (Amended, 3L), (Cancelled, 2L) })
        {
            var name = $"shipments/{id}";
            var current = await shipments.GetShipmentAsync(new GetShipmentRequest { Name = name }, Deadline());
            var recorded = Assert.Single((await shipments.ListShipmentRevisionsAsync(new ListShipmentRevisionsRequest { Name = name }, Deadline())).Revisions);
            Assert.Equal($"{name}@{version}", recorded.Name);
            Assert.Equal(RevisionKind.Recorded, recorded.Kind);
            // The row as it was, every field read back through its image.
            Assert.Equal(current, recorded.Shipment);
            Assert.Equal(current.UpdateTime, recorded.UpdateTime);
            Assert.Empty(recorded.ChangedFields.Paths);
            Assert.Equal(("", "", ""), (recorded.ActorSubject, recorded.ActorClient, recorded.Reason));
        }
        var amended = await shipments.GetShipmentAsync(new GetShipmentRequest { Name = $"shipments/{Amended}" }, Deadline());
        Assert.Equal(("Naftan", "30000000", "633253.725", "2020-04-02"), (amended.Buyer, amended.Value.Units.ToString(System.Globalization.CultureInfo.InvariantCulture),
            amended.Barrels.Value, $"{amended.DeliveryDate.Year}-{amended.DeliveryDate.Month:00}-{amended.DeliveryDate.Day:00}"));
        // The idempotency key stays with the row, not with its versions.
        Assert.Equal(0, await sut.ShipmentsDb.ScalarAsync<long>("SELECT count(*) FROM shipment_revisions WHERE shipment ? 'request_id' OR shipment ? 'request_fingerprint'"));

        // The history goes on from the recorded version.
        await shipments.UpdateShipmentAsync(new UpdateShipmentRequest
        {
            Shipment = new Shipment { Name = amended.Name, LoadPort = "Batumi" },
            Reason = "loaded at Batumi after all",
        }, Deadline());
        var revisions = (await shipments.ListShipmentRevisionsAsync(new ListShipmentRevisionsRequest { Name = amended.Name }, Deadline())).Revisions;
        Assert.Equal([(4L, RevisionKind.Updated, "Batumi"), (3L, RevisionKind.Recorded, "Supsa")],
            revisions.Select(r => (r.Shipment.Version, r.Kind, r.Shipment.LoadPort)));
        Assert.Equal(["load_port"], revisions[0].ChangedFields.Paths);
        Assert.True(revisions[0].UpdateTime.ToDateTimeOffset() > revisions[1].UpdateTime.ToDateTimeOffset());
    }
}
