using Microsoft.EntityFrameworkCore;

namespace EnergyTrade.Outbox;

public static class OutboxModel
{
    /// <summary>The outbox table in the service's own database, so a change and its event commit in one transaction.</summary>
    public static ModelBuilder AddOutboxMessages(this ModelBuilder model)
    {
        model.Entity<OutboxMessage>(e =>
        {
            e.ToTable("outbox_messages");
            e.HasKey(m => m.Id);
            e.Property(m => m.Id).UseIdentityAlwaysColumn();
            e.Property(m => m.MessageType).HasMaxLength(256);
            e.Property(m => m.Payload).HasColumnType("jsonb");
            // Named when the outbox only carried shipment events; a rename would buy a word and cost every reader of the table.
            e.Property(m => m.SubjectId).HasColumnName("shipment_id");
            e.Property(m => m.TraceParent).HasMaxLength(128);
            e.Property(m => m.LastError).HasMaxLength(1024);
            e.HasIndex(m => m.MessageId).IsUnique();
            // The relay only ever scans unsent rows; a partial index keeps that scan tiny however much history piles up.
            e.HasIndex(m => m.Id).HasFilter("sent_at IS NULL").HasDatabaseName("ix_outbox_messages_unsent");
            e.HasIndex(m => m.SentAt).HasFilter("sent_at IS NOT NULL").HasDatabaseName("ix_outbox_messages_sent_at");
        });
        return model;
    }
}
