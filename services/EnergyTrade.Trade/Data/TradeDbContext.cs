using EnergyTrade.Persistence;
using Microsoft.EntityFrameworkCore;

namespace EnergyTrade.Trade.Data;

/// <summary>
/// Trade's database: derived from Shipments' events, and disposable. Nothing here needs a backup: a lost
/// or suspect database is dropped and refilled by a republish (scripts/rebuild-trade.sh, docs/operations.md).
/// </summary>
public sealed class TradeDbContext(DbContextOptions<TradeDbContext> options) : DbContext(options)
{
    public DbSet<TotalsRow> Totals => Set<TotalsRow>();
    public DbSet<AppliedShipment> AppliedShipments => Set<AppliedShipment>();
    public DbSet<ShipmentVersion> ShipmentVersions => Set<ShipmentVersion>();
    public DbSet<RefusedEvent> RefusedEvents => Set<RefusedEvent>();
    public DbSet<TradeName> Names => Set<TradeName>();

    /// <summary>Longest refusal reason kept; the full text is in the _error message's MT-Fault headers.</summary>
    public const int ReasonLength = 2000;

    /// <summary>The unique index bilateral_totals' upserts meet their rows by.</summary>
    public const string TotalsKeyIndex = "ux_bilateral_totals_key";

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<TotalsRow>(e =>
        {
            e.ToTable("bilateral_totals");
            // Written only by set-based SQL; the natural key has nullable parts (no buyer, no delivery
            // yet), so it is a unique index whose NULLs are equal rather than a primary key.
            e.HasNoKey();
            e.HasIndex(t => new
            {
                t.ExporterCountry, t.ImporterCountry, t.OriginCountry, t.Month, t.DeliveryMonth,
                t.Shipper, t.Buyer, t.Grade, t.LoadPort, t.DischargePort,
            }).IsUnique().AreNullsDistinct(false).HasDatabaseName(TotalsKeyIndex);
            e.Property(t => t.Barrels).HasColumnType("numeric(24,3)");
            e.Property(t => t.ValuedBarrels).HasColumnType("numeric(24,3)");
            e.Property(t => t.Tonnes).HasColumnType("numeric(24,3)");
            e.Property(t => t.ValueUsd).HasColumnType("numeric(24,2)");
            // The mirror direction (partner as exporter) is served by this index.
            e.HasIndex(t => new { t.ImporterCountry, t.ExporterCountry, t.Month }).HasDatabaseName("ix_bilateral_totals_importer");
            e.HasIndex(t => new { t.OriginCountry, t.ImporterCountry, t.Month }).HasDatabaseName("ix_bilateral_totals_origin");
        });

        model.Entity<AppliedShipment>(e =>
        {
            e.ToTable("applied_shipments");
            e.HasKey(a => a.ShipmentId);
            e.Property(a => a.ShipmentId).ValueGeneratedNever();
            e.Property(a => a.Barrels).HasColumnType("numeric(19,3)");
            e.Property(a => a.Tonnes).HasColumnType("numeric(19,3)");
            e.Property(a => a.ValueUsd).HasColumnType("numeric(19,2)");
        });

        model.Entity<ShipmentVersion>(e =>
        {
            e.ToTable("shipment_versions");
            e.HasKey(v => new { v.ShipmentId, v.Version });
            e.Property(v => v.Barrels).HasColumnType("numeric(19,3)");
            e.Property(v => v.Tonnes).HasColumnType("numeric(19,3)");
            e.Property(v => v.ValueUsd).HasColumnType("numeric(19,2)");
            // As-of reads find a pair's versions by exporter (or origin), importer and month. Unlike a
            // pair's few totals rows, its versions are many and spread over the whole table (they
            // arrive in time order, mixed with every other pair's), so the two pair indexes carry the
            // figures an ungrouped, unfiltered answer needs: it is then read from the index alone, in
            // key order, instead of from one table page per version (docs/benchmarks.md, phase 6).
            e.HasIndex(v => new { v.ExporterCountry, v.ImporterCountry, v.Month }).HasDatabaseName("ix_shipment_versions_exporter")
                .IncludeProperties(v => new { v.OriginCountry, v.DeliveryMonth, v.Contributes, v.ValidFrom, v.ValidUntil, v.Barrels, v.Tonnes, v.ValueUsd });
            e.HasIndex(v => new { v.OriginCountry, v.ImporterCountry, v.Month }).HasDatabaseName("ix_shipment_versions_origin")
                .IncludeProperties(v => new { v.ExporterCountry, v.DeliveryMonth, v.Contributes, v.ValidFrom, v.ValidUntil, v.Barrels, v.Tonnes, v.ValueUsd });
            // What a country imports from every partner (WORLD, groups).
            e.HasIndex(v => new { v.ImporterCountry, v.ExporterCountry, v.Month }).HasDatabaseName("ix_shipment_versions_importer");
        });

        model.Entity<TradeName>(e =>
        {
            e.ToTable("trade_names");
            e.HasKey(n => new { n.Kind, n.Key });
        });

        model.Entity<RefusedEvent>(e =>
        {
            e.ToTable("refused_events");
            e.HasKey(r => new { r.MessageId, r.ShipmentId });
            e.Property(r => r.Barrels).HasColumnType("numeric");
            e.Property(r => r.Reason).HasMaxLength(ReasonLength);
            // Clearing looks refusals up by shipment on every apply that touches one.
            e.HasIndex(r => r.ShipmentId).HasDatabaseName("ix_refused_events_shipment");
        });

        model.StoreCountryCodesAsTwoCharacters();
    }
}
