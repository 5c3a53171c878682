using Microsoft.EntityFrameworkCore;

namespace EnergyTrade.Trade.Data;

public sealed class TradeDbContext(DbContextOptions<TradeDbContext> options) : DbContext(options)
{
    public DbSet<TotalsRow> Totals => Set<TotalsRow>();
    public DbSet<AppliedShipment> AppliedShipments => Set<AppliedShipment>();
    public DbSet<RefusedEvent> RefusedEvents => Set<RefusedEvent>();

    /// <summary>Longest refusal reason kept; the full text is in the _error message's MT-Fault headers.</summary>
    public const int ReasonLength = 2000;

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<TotalsRow>(e =>
        {
            e.ToTable("bilateral_totals");
            e.HasKey(t => new { t.ExporterCountry, t.ImporterCountry, t.OriginCountry, t.Month });
            e.Property(t => t.ExporterCountry).HasColumnName("exporter_country").HasMaxLength(2).IsFixedLength();
            e.Property(t => t.ImporterCountry).HasColumnName("importer_country").HasMaxLength(2).IsFixedLength();
            e.Property(t => t.OriginCountry).HasColumnName("origin_country").HasMaxLength(2).IsFixedLength();
            e.Property(t => t.Month).HasColumnName("month");
            e.Property(t => t.ShipmentCount).HasColumnName("shipment_count");
            e.Property(t => t.Barrels).HasColumnName("barrels").HasColumnType("numeric(24,3)");
            e.Property(t => t.Tonnes).HasColumnName("tonnes").HasColumnType("numeric(24,3)");
            e.Property(t => t.ValueUsd).HasColumnName("value_usd").HasColumnType("numeric(24,2)");
            e.Property(t => t.ValuedShipmentCount).HasColumnName("valued_shipment_count");
            e.Property(t => t.UpdatedAt).HasColumnName("updated_at");
            // The mirror direction (partner as exporter) is served by this index.
            e.HasIndex(t => new { t.ImporterCountry, t.ExporterCountry, t.Month }).HasDatabaseName("ix_bilateral_totals_importer");
            e.HasIndex(t => new { t.OriginCountry, t.ImporterCountry, t.Month }).HasDatabaseName("ix_bilateral_totals_origin");
        });

        model.Entity<AppliedShipment>(e =>
        {
            e.ToTable("applied_shipments");
            e.HasKey(a => a.ShipmentId);
            e.Property(a => a.ShipmentId).HasColumnName("shipment_id").ValueGeneratedNever();
            e.Property(a => a.Version).HasColumnName("version");
            e.Property(a => a.Contributes).HasColumnName("contributes");
            e.Property(a => a.ExporterCountry).HasColumnName("exporter_country").HasMaxLength(2).IsFixedLength();
            e.Property(a => a.ImporterCountry).HasColumnName("importer_country").HasMaxLength(2).IsFixedLength();
            e.Property(a => a.OriginCountry).HasColumnName("origin_country").HasMaxLength(2).IsFixedLength();
            e.Property(a => a.Month).HasColumnName("month");
            e.Property(a => a.Barrels).HasColumnName("barrels").HasColumnType("numeric(19,3)");
            e.Property(a => a.Tonnes).HasColumnName("tonnes").HasColumnType("numeric(19,3)");
            e.Property(a => a.ValueUsd).HasColumnName("value_usd").HasColumnType("numeric(19,2)");
            e.Property(a => a.MessageId).HasColumnName("message_id");
            e.Property(a => a.AppliedAt).HasColumnName("applied_at");
        });

        model.Entity<RefusedEvent>(e =>
        {
            e.ToTable("refused_events");
            e.HasKey(r => new { r.MessageId, r.ShipmentId });
            e.Property(r => r.MessageId).HasColumnName("message_id");
            e.Property(r => r.ShipmentId).HasColumnName("shipment_id");
            e.Property(r => r.Version).HasColumnName("version");
            e.Property(r => r.ExporterCountry).HasColumnName("exporter_country").HasMaxLength(2).IsFixedLength();
            e.Property(r => r.ImporterCountry).HasColumnName("importer_country").HasMaxLength(2).IsFixedLength();
            e.Property(r => r.OriginCountry).HasColumnName("origin_country").HasMaxLength(2).IsFixedLength();
            e.Property(r => r.Month).HasColumnName("month");
            e.Property(r => r.Barrels).HasColumnName("barrels").HasColumnType("numeric");
            e.Property(r => r.Reason).HasColumnName("reason").HasMaxLength(ReasonLength);
            e.Property(r => r.RefusedAt).HasColumnName("refused_at");
            // Clearing looks refusals up by shipment on every apply that touches one.
            e.HasIndex(r => r.ShipmentId).HasDatabaseName("ix_refused_events_shipment");
        });
    }
}
