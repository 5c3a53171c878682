using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EnergyTrade.Shipments.Data.Migrations
{
    /// <summary>
    /// Keys and indexes take their names from the snake_case naming convention now, like the tables and
    /// columns always did. Renamed in place, not dropped and re-created as EF proposes: a rename changes
    /// only the catalogue, so a table with millions of rows is neither rebuilt nor locked for long.
    /// </summary>
    public partial class SnakeCaseKeyNames : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                ALTER TABLE shipments RENAME CONSTRAINT "PK_shipments" TO pk_shipments;
                ALTER TABLE republish_operations RENAME CONSTRAINT "PK_republish_operations" TO pk_republish_operations;
                ALTER TABLE outbox_messages RENAME CONSTRAINT "PK_outbox_messages" TO pk_outbox_messages;
                ALTER INDEX "IX_outbox_messages_message_id" RENAME TO ix_outbox_messages_message_id;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                ALTER TABLE shipments RENAME CONSTRAINT pk_shipments TO "PK_shipments";
                ALTER TABLE republish_operations RENAME CONSTRAINT pk_republish_operations TO "PK_republish_operations";
                ALTER TABLE outbox_messages RENAME CONSTRAINT pk_outbox_messages TO "PK_outbox_messages";
                ALTER INDEX ix_outbox_messages_message_id RENAME TO "IX_outbox_messages_message_id";
                """);
        }
    }
}
