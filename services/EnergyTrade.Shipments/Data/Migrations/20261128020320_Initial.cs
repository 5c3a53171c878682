using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace EnergyTrade.Shipments.Data.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "outbox_messages",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    message_id = table.Column<Guid>(type: "uuid", nullable: false),
                    message_type = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    payload = table.Column<string>(type: "jsonb", nullable: false),
                    shipment_id = table.Column<Guid>(type: "uuid", nullable: true),
                    trace_parent = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    sent_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    last_error = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_outbox_messages", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "shipments",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    version = table.Column<long>(type: "bigint", nullable: false),
                    state = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    shipper = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    exporter_country = table.Column<string>(type: "character(2)", fixedLength: true, maxLength: 2, nullable: false),
                    importer_country = table.Column<string>(type: "character(2)", fixedLength: true, maxLength: 2, nullable: false),
                    origin_country = table.Column<string>(type: "character(2)", fixedLength: true, maxLength: 2, nullable: false),
                    grade = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    quantity_value = table.Column<decimal>(type: "numeric", nullable: false),
                    quantity_unit = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    barrels_per_tonne = table.Column<decimal>(type: "numeric", nullable: false),
                    barrels_per_tonne_given = table.Column<bool>(type: "boolean", nullable: false),
                    barrels = table.Column<decimal>(type: "numeric(19,3)", nullable: false),
                    tonnes = table.Column<decimal>(type: "numeric(19,3)", nullable: false),
                    value_usd = table.Column<decimal>(type: "numeric(19,2)", nullable: true),
                    load_date = table.Column<DateOnly>(type: "date", nullable: false),
                    delivery_date = table.Column<DateOnly>(type: "date", nullable: true),
                    load_port = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    discharge_port = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    create_time = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    update_time = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    request_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    request_fingerprint = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_shipments", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_outbox_messages_message_id",
                table: "outbox_messages",
                column: "message_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_sent_at",
                table: "outbox_messages",
                column: "sent_at",
                filter: "sent_at IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_unsent",
                table: "outbox_messages",
                column: "id",
                filter: "sent_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_shipments_load_date_id",
                table: "shipments",
                columns: new[] { "load_date", "id" },
                descending: new bool[0]);

            migrationBuilder.CreateIndex(
                name: "ix_shipments_pair_load_date",
                table: "shipments",
                columns: new[] { "exporter_country", "importer_country", "load_date" });

            migrationBuilder.CreateIndex(
                name: "ux_shipments_request_id",
                table: "shipments",
                column: "request_id",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "outbox_messages");

            migrationBuilder.DropTable(
                name: "shipments");
        }
    }
}
