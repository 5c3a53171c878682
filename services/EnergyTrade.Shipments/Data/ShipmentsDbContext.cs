using EnergyTrade.Persistence;
using EnergyTrade.Contracts;
using EnergyTrade.Outbox;
using EnergyTrade.Shipments.Republish;
using EnergyTrade.Shipments.Revisions;
using Microsoft.EntityFrameworkCore;

namespace EnergyTrade.Shipments.Data;

public sealed class ShipmentsDbContext(DbContextOptions<ShipmentsDbContext> options) : DbContext(options)
{
    public const string RequestIdIndex = "ux_shipments_request_id";

    public DbSet<Shipment> Shipments => Set<Shipment>();
    public DbSet<ShipmentRevision> ShipmentRevisions => Set<ShipmentRevision>();
    public DbSet<RepublishOperation> RepublishOperations => Set<RepublishOperation>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<Shipment>(e =>
        {
            e.ToTable("shipments");
            e.HasKey(s => s.Id);
            e.Property(s => s.Id).ValueGeneratedNever();
            e.Property(s => s.Version).IsConcurrencyToken();
            e.Property(s => s.State).HasConversion<string>().HasMaxLength(16);
            e.Property(s => s.Shipper).HasMaxLength(Limits.NameLength);
            e.Property(s => s.Buyer).HasMaxLength(Limits.NameLength);
            e.Property(s => s.Grade).HasMaxLength(Limits.NameLength);
            // Unconstrained numeric keeps exactly what the caller sent; normalised figures have 3 places.
            e.Property(s => s.QuantityValue).HasColumnType("numeric");
            e.Property(s => s.QuantityUnit).HasConversion<string>().HasMaxLength(16);
            e.Property(s => s.BarrelsPerTonne).HasColumnType("numeric");
            e.Property(s => s.Barrels).HasColumnType("numeric(19,3)");
            e.Property(s => s.Tonnes).HasColumnType("numeric(19,3)");
            e.Property(s => s.ValueUsd).HasColumnType("numeric(19,2)");
            e.Property(s => s.LoadPort).HasMaxLength(Limits.NameLength);
            e.Property(s => s.DischargePort).HasMaxLength(Limits.NameLength);
            e.Property(s => s.CancelReason).HasMaxLength(Limits.ReasonLength);
            e.Property(s => s.RequestId).HasMaxLength(Limits.RequestIdLength);
            e.Property(s => s.RequestFingerprint).HasMaxLength(64);
            e.Ignore(s => s.Name);

            e.HasIndex(s => s.RequestId).IsUnique().HasDatabaseName(RequestIdIndex);
            // Serves ListShipments: newest load_date first, id as the tie-breaker of the page token.
            e.HasIndex(s => new { s.LoadDate, s.Id }).IsDescending(true, true).HasDatabaseName("ix_shipments_load_date_id");
            e.HasIndex(s => new { s.ExporterCountry, s.ImporterCountry, s.LoadDate }).HasDatabaseName("ix_shipments_pair_load_date");
        });

        model.Entity<ShipmentRevision>(e =>
        {
            e.ToTable("shipment_revisions");
            // Also serves ListShipmentRevisions: one shipment's versions, newest first, read backwards.
            e.HasKey(r => new { r.ShipmentId, r.Version });
            e.Property(r => r.Kind).HasConversion<string>().HasMaxLength(16);
            e.Property(r => r.ActorSubject).HasMaxLength(Actor.MaxLength);
            e.Property(r => r.ActorClient).HasMaxLength(Actor.MaxLength);
            e.Property(r => r.Reason).HasMaxLength(Limits.ReasonLength);
            e.Property(r => r.ShipmentImage).HasColumnName("shipment").HasColumnType("jsonb");
            // No foreign key to shipments: a revision is only ever written with its shipment, in the same
            // statement or transaction, and shipments are never deleted; the check would lock every new
            // shipment row once more in the group commit.
        });

        model.Entity<RepublishOperation>(e =>
        {
            e.ToTable("republish_operations");
            e.HasKey(o => o.Id);
            e.Property(o => o.Id).ValueGeneratedNever();
            e.Property(o => o.State).HasConversion<string>().HasMaxLength(16);
            e.Property(o => o.Error).HasMaxLength(1024);
            e.Property(o => o.CreatedBy).HasMaxLength(256);
            e.Ignore(o => o.Name);
            e.Ignore(o => o.Done);
            // The worker looks only for running operations, oldest first.
            e.HasIndex(o => o.CreateTime).HasFilter("state = 'Running'").HasDatabaseName("ix_republish_operations_running");
        });

        model.AddOutboxMessages();
        model.StoreCountryCodesAsTwoCharacters();
    }
}
