using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EnergyTrade.Trade.Data.Migrations
{
    /// <inheritdoc />
    public partial class ShipmentVersions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "shipment_versions",
                columns: table => new
                {
                    shipment_id = table.Column<Guid>(type: "uuid", nullable: false),
                    version = table.Column<long>(type: "bigint", nullable: false),
                    valid_from = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    valid_until = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    contributes = table.Column<bool>(type: "boolean", nullable: false),
                    exporter_country = table.Column<string>(type: "character(2)", fixedLength: true, maxLength: 2, nullable: true),
                    importer_country = table.Column<string>(type: "character(2)", fixedLength: true, maxLength: 2, nullable: true),
                    origin_country = table.Column<string>(type: "character(2)", fixedLength: true, maxLength: 2, nullable: true),
                    month = table.Column<DateOnly>(type: "date", nullable: true),
                    delivery_month = table.Column<DateOnly>(type: "date", nullable: true),
                    shipper = table.Column<string>(type: "text", nullable: true),
                    buyer = table.Column<string>(type: "text", nullable: true),
                    grade = table.Column<string>(type: "text", nullable: true),
                    load_port = table.Column<string>(type: "text", nullable: true),
                    discharge_port = table.Column<string>(type: "text", nullable: true),
                    barrels = table.Column<decimal>(type: "numeric(19,3)", nullable: false),
                    tonnes = table.Column<decimal>(type: "numeric(19,3)", nullable: false),
                    value_usd = table.Column<decimal>(type: "numeric(19,2)", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_shipment_versions", x => new { x.shipment_id, x.version });
                });

            // History begins with the versions already applied. Their time in Shipments is not known
            // here, so each starts when Trade applied it (never earlier than Shipments recorded it):
            // as-of answers for instants before the upgrade count them from then, until a republish
            // brings each version's own update_time, which replaces it (docs/upgrading.md).
            migrationBuilder.Sql("""
                INSERT INTO shipment_versions (shipment_id, version, valid_from, valid_until, contributes,
                    exporter_country, importer_country, origin_country, month, delivery_month,
                    shipper, buyer, grade, load_port, discharge_port, barrels, tonnes, value_usd)
                SELECT shipment_id, version, applied_at, NULL, contributes,
                    exporter_country, importer_country, origin_country, month, delivery_month,
                    shipper, buyer, grade, load_port, discharge_port, barrels, tonnes, value_usd
                FROM applied_shipments WHERE version > 0
                """);

            migrationBuilder.CreateIndex(
                name: "ix_shipment_versions_exporter",
                table: "shipment_versions",
                columns: new[] { "exporter_country", "importer_country", "month" })
                .Annotation("Npgsql:IndexInclude", new[] { "origin_country", "delivery_month", "contributes", "valid_from", "valid_until", "barrels", "tonnes", "value_usd" });

            migrationBuilder.CreateIndex(
                name: "ix_shipment_versions_importer",
                table: "shipment_versions",
                columns: new[] { "importer_country", "exporter_country", "month" });

            migrationBuilder.CreateIndex(
                name: "ix_shipment_versions_origin",
                table: "shipment_versions",
                columns: new[] { "origin_country", "importer_country", "month" })
                .Annotation("Npgsql:IndexInclude", new[] { "exporter_country", "delivery_month", "contributes", "valid_from", "valid_until", "barrels", "tonnes", "value_usd" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "shipment_versions");
        }
    }
}
