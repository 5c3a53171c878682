using EnergyTrade.Contracts;
using EnergyTrade.Shipments.Outbox;
using EnergyTrade.Shipments.Republish;
using Microsoft.EntityFrameworkCore;

namespace EnergyTrade.Shipments.Data;

public sealed class ShipmentsDbContext(DbContextOptions<ShipmentsDbContext> options) : DbContext(options)
{
    public const string RequestIdIndex = "ux_shipments_request_id";

    public DbSet<Shipment> Shipments => Set<Shipment>();
    public DbSet<RepublishOperation> RepublishOperations => Set<RepublishOperation>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<Shipment>(e =>
        {
            e.ToTable("shipments");
            e.HasKey(s => s.Id);
            e.Property(s => s.Id).HasColumnName("id").ValueGeneratedNever();
            e.Property(s => s.Version).HasColumnName("version").IsConcurrencyToken();
            e.Property(s => s.State).HasColumnName("state").HasConversion<string>().HasMaxLength(16);
            e.Property(s => s.Shipper).HasColumnName("shipper").HasMaxLength(Limits.NameLength);
            e.Property(s => s.ExporterCountry).HasColumnName("exporter_country").HasMaxLength(2).IsFixedLength();
            e.Property(s => s.ImporterCountry).HasColumnName("importer_country").HasMaxLength(2).IsFixedLength();
            e.Property(s => s.OriginCountry).HasColumnName("origin_country").HasMaxLength(2).IsFixedLength();
            e.Property(s => s.Grade).HasColumnName("grade").HasMaxLength(Limits.NameLength);
            // Unconstrained numeric keeps exactly what the caller sent; normalised figures have 3 places.
            e.Property(s => s.QuantityValue).HasColumnName("quantity_value").HasColumnType("numeric");
            e.Property(s => s.QuantityUnit).HasColumnName("quantity_unit").HasConversion<string>().HasMaxLength(16);
            e.Property(s => s.BarrelsPerTonne).HasColumnName("barrels_per_tonne").HasColumnType("numeric");
            e.Property(s => s.BarrelsPerTonneGiven).HasColumnName("barrels_per_tonne_given");
            e.Property(s => s.Barrels).HasColumnName("barrels").HasColumnType("numeric(19,3)");
            e.Property(s => s.Tonnes).HasColumnName("tonnes").HasColumnType("numeric(19,3)");
            e.Property(s => s.ValueUsd).HasColumnName("value_usd").HasColumnType("numeric(19,2)");
            e.Property(s => s.LoadDate).HasColumnName("load_date");
            e.Property(s => s.DeliveryDate).HasColumnName("delivery_date");
            e.Property(s => s.LoadPort).HasColumnName("load_port").HasMaxLength(Limits.NameLength);
            e.Property(s => s.DischargePort).HasColumnName("discharge_port").HasMaxLength(Limits.NameLength);
            e.Property(s => s.CancelReason).HasColumnName("cancel_reason").HasMaxLength(Limits.ReasonLength);
            e.Property(s => s.CreateTime).HasColumnName("create_time");
            e.Property(s => s.UpdateTime).HasColumnName("update_time");
            e.Property(s => s.RequestId).HasColumnName("request_id").HasMaxLength(Limits.RequestIdLength);
            e.Property(s => s.RequestFingerprint).HasColumnName("request_fingerprint").HasMaxLength(64);
            e.Ignore(s => s.Name);

            e.HasIndex(s => s.RequestId).IsUnique().HasDatabaseName(RequestIdIndex);
            // Serves ListShipments: newest load_date first, id as the tie-breaker of the page token.
            e.HasIndex(s => new { s.LoadDate, s.Id }).IsDescending(true, true).HasDatabaseName("ix_shipments_load_date_id");
            e.HasIndex(s => new { s.ExporterCountry, s.ImporterCountry, s.LoadDate }).HasDatabaseName("ix_shipments_pair_load_date");
        });

        model.Entity<RepublishOperation>(e =>
        {
            e.ToTable("republish_operations");
            e.HasKey(o => o.Id);
            e.Property(o => o.Id).HasColumnName("id").ValueGeneratedNever();
            e.Property(o => o.State).HasColumnName("state").HasConversion<string>().HasMaxLength(16);
            e.Property(o => o.Request).HasColumnName("request");
            e.Property(o => o.TotalCount).HasColumnName("total_count");
            e.Property(o => o.RepublishedCount).HasColumnName("republished_count");
            e.Property(o => o.Cursor).HasColumnName("cursor");
            e.Property(o => o.Error).HasColumnName("error").HasMaxLength(1024);
            e.Property(o => o.CancelRequested).HasColumnName("cancel_requested");
            e.Property(o => o.CreatedBy).HasColumnName("created_by").HasMaxLength(256);
            e.Property(o => o.CreateTime).HasColumnName("create_time");
            e.Property(o => o.UpdateTime).HasColumnName("update_time");
            e.Property(o => o.EndTime).HasColumnName("end_time");
            e.Ignore(o => o.Name);
            e.Ignore(o => o.Done);
            // The worker looks only for running operations, oldest first.
            e.HasIndex(o => o.CreateTime).HasFilter("state = 'Running'").HasDatabaseName("ix_republish_operations_running");
        });

        model.Entity<OutboxMessage>(e =>
        {
            e.ToTable("outbox_messages");
            e.HasKey(m => m.Id);
            e.Property(m => m.Id).HasColumnName("id").UseIdentityAlwaysColumn();
            e.Property(m => m.MessageId).HasColumnName("message_id");
            e.Property(m => m.MessageType).HasColumnName("message_type").HasMaxLength(256);
            e.Property(m => m.Payload).HasColumnName("payload").HasColumnType("jsonb");
            e.Property(m => m.ShipmentId).HasColumnName("shipment_id");
            e.Property(m => m.TraceParent).HasColumnName("trace_parent").HasMaxLength(128);
            e.Property(m => m.CreatedAt).HasColumnName("created_at");
            e.Property(m => m.SentAt).HasColumnName("sent_at");
            e.Property(m => m.Attempts).HasColumnName("attempts");
            e.Property(m => m.LastError).HasColumnName("last_error").HasMaxLength(1024);
            e.HasIndex(m => m.MessageId).IsUnique();
            // The relay only ever scans unsent rows; a partial index keeps that scan tiny however much history piles up.
            e.HasIndex(m => m.Id).HasFilter("sent_at IS NULL").HasDatabaseName("ix_outbox_messages_unsent");
            e.HasIndex(m => m.SentAt).HasFilter("sent_at IS NOT NULL").HasDatabaseName("ix_outbox_messages_sent_at");
        });
    }
}
