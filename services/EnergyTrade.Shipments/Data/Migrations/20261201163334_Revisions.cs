using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EnergyTrade.Shipments.Data.Migrations
{
    /// <inheritdoc />
    public partial class Revisions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "shipment_revisions",
                columns: table => new
                {
                    shipment_id = table.Column<Guid>(type: "uuid", nullable: false),
                    version = table.Column<long>(type: "bigint", nullable: false),
                    update_time = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    changed_fields = table.Column<string[]>(type: "text[]", nullable: false),
                    actor_subject = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    actor_client = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    reason = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: true),
                    shipment = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_shipment_revisions", x => new { x.shipment_id, x.version });
                });

            // Each shipment's history starts with the version it has now: earlier ones were never kept.
            // The image is the row itself, as the services write it (RevisionSql.Image), stated here as it
            // is today so that this migration means the same whatever that code becomes.
            migrationBuilder.Sql("""
                INSERT INTO shipment_revisions (shipment_id, version, update_time, kind, changed_fields, shipment)
                SELECT s.id, s.version, s.update_time, 'Recorded', '{}', to_jsonb(s) - 'request_id' - 'request_fingerprint'
                FROM shipments s;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "shipment_revisions");
        }
    }
}
