using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EnergyTrade.Trade.Data.Migrations
{
    /// <inheritdoc />
    public partial class RefusedEvents : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "refused_events",
                columns: table => new
                {
                    message_id = table.Column<Guid>(type: "uuid", nullable: false),
                    shipment_id = table.Column<Guid>(type: "uuid", nullable: false),
                    version = table.Column<long>(type: "bigint", nullable: true),
                    exporter_country = table.Column<string>(type: "character(2)", fixedLength: true, maxLength: 2, nullable: true),
                    importer_country = table.Column<string>(type: "character(2)", fixedLength: true, maxLength: 2, nullable: true),
                    origin_country = table.Column<string>(type: "character(2)", fixedLength: true, maxLength: 2, nullable: true),
                    month = table.Column<DateOnly>(type: "date", nullable: true),
                    barrels = table.Column<decimal>(type: "numeric", nullable: true),
                    reason = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    refused_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_refused_events", x => new { x.message_id, x.shipment_id });
                });

            migrationBuilder.CreateIndex(
                name: "ix_refused_events_shipment",
                table: "refused_events",
                column: "shipment_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "refused_events");
        }
    }
}
