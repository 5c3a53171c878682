using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EnergyTrade.Trade.Data.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "applied_shipments",
                columns: table => new
                {
                    shipment_id = table.Column<Guid>(type: "uuid", nullable: false),
                    version = table.Column<long>(type: "bigint", nullable: false),
                    contributes = table.Column<bool>(type: "boolean", nullable: false),
                    exporter_country = table.Column<string>(type: "character(2)", fixedLength: true, maxLength: 2, nullable: true),
                    importer_country = table.Column<string>(type: "character(2)", fixedLength: true, maxLength: 2, nullable: true),
                    origin_country = table.Column<string>(type: "character(2)", fixedLength: true, maxLength: 2, nullable: true),
                    month = table.Column<DateOnly>(type: "date", nullable: true),
                    barrels = table.Column<decimal>(type: "numeric(19,3)", nullable: false),
                    tonnes = table.Column<decimal>(type: "numeric(19,3)", nullable: false),
                    value_usd = table.Column<decimal>(type: "numeric(19,2)", nullable: true),
                    message_id = table.Column<Guid>(type: "uuid", nullable: true),
                    applied_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_applied_shipments", x => x.shipment_id);
                });

            migrationBuilder.CreateTable(
                name: "bilateral_totals",
                columns: table => new
                {
                    exporter_country = table.Column<string>(type: "character(2)", fixedLength: true, maxLength: 2, nullable: false),
                    importer_country = table.Column<string>(type: "character(2)", fixedLength: true, maxLength: 2, nullable: false),
                    origin_country = table.Column<string>(type: "character(2)", fixedLength: true, maxLength: 2, nullable: false),
                    month = table.Column<DateOnly>(type: "date", nullable: false),
                    shipment_count = table.Column<long>(type: "bigint", nullable: false),
                    barrels = table.Column<decimal>(type: "numeric(24,3)", nullable: false),
                    tonnes = table.Column<decimal>(type: "numeric(24,3)", nullable: false),
                    value_usd = table.Column<decimal>(type: "numeric(24,2)", nullable: false),
                    valued_shipment_count = table.Column<long>(type: "bigint", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_bilateral_totals", x => new { x.exporter_country, x.importer_country, x.origin_country, x.month });
                });

            migrationBuilder.CreateIndex(
                name: "ix_bilateral_totals_importer",
                table: "bilateral_totals",
                columns: new[] { "importer_country", "exporter_country", "month" });

            migrationBuilder.CreateIndex(
                name: "ix_bilateral_totals_origin",
                table: "bilateral_totals",
                columns: new[] { "origin_country", "importer_country", "month" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "applied_shipments");

            migrationBuilder.DropTable(
                name: "bilateral_totals");
        }
    }
}
