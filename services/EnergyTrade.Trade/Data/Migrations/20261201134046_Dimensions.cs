using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EnergyTrade.Trade.Data.Migrations
{
    /// <inheritdoc />
    public partial class Dimensions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "pk_bilateral_totals",
                table: "bilateral_totals");

            migrationBuilder.AlterColumn<string>(
                name: "origin_country",
                table: "bilateral_totals",
                type: "character(2)",
                fixedLength: true,
                maxLength: 2,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "character(2)",
                oldFixedLength: true,
                oldMaxLength: 2);

            migrationBuilder.AddColumn<string>(
                name: "buyer",
                table: "bilateral_totals",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "delivery_month",
                table: "bilateral_totals",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "discharge_port",
                table: "bilateral_totals",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "grade",
                table: "bilateral_totals",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "load_port",
                table: "bilateral_totals",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "shipper",
                table: "bilateral_totals",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<decimal>(
                name: "valued_barrels",
                table: "bilateral_totals",
                type: "numeric(24,3)",
                nullable: false,
                defaultValue: 0m);

            migrationBuilder.AddColumn<string>(
                name: "buyer",
                table: "applied_shipments",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "delivery_month",
                table: "applied_shipments",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "discharge_port",
                table: "applied_shipments",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "grade",
                table: "applied_shipments",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "load_port",
                table: "applied_shipments",
                type: "text",
                nullable: true);


            migrationBuilder.AddColumn<string>(
                name: "shipper",
                table: "applied_shipments",
                type: "text",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "trade_names",
                columns: table => new
                {
                    kind = table.Column<short>(type: "smallint", nullable: false),
                    key = table.Column<string>(type: "text", nullable: false),
                    spelling = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_trade_names", x => new { x.kind, x.key });
                });

            migrationBuilder.CreateIndex(
                name: "ux_bilateral_totals_key",
                table: "bilateral_totals",
                columns: new[] { "exporter_country", "importer_country", "origin_country", "month", "delivery_month", "shipper", "buyer", "grade", "load_port", "discharge_port" },
                unique: true)
                .Annotation("Npgsql:NullsDistinct", false);

            // Rows counted before this migration keep their figures on rows without names or delivery
            // months (their applied_shipments rows have no shipper), so every answer on the loading basis
            // that does not group or filter by name stays right (on the delivery basis they show as in
            // transit); a republish moves each to its full row (docs/upgrading.md).
            // Their valued barrels can be had now, from applied_shipments.
            migrationBuilder.Sql("""
                UPDATE bilateral_totals AS t SET valued_barrels = v.barrels
                FROM (SELECT exporter_country, importer_country, origin_country, month, sum(barrels) AS barrels
                      FROM applied_shipments WHERE contributes AND value_usd IS NOT NULL
                      GROUP BY exporter_country, importer_country, origin_country, month) AS v
                WHERE t.exporter_country = v.exporter_country AND t.importer_country = v.importer_country
                  AND t.origin_country = v.origin_country AND t.month = v.month
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // The old key (exporter, importer, origin, month) cannot hold undisclosed origins or the
            // several rows one such key now has; refuse before changing anything rather than fail half way.
            migrationBuilder.Sql("""
                DO $$
                BEGIN
                    IF EXISTS (SELECT 1 FROM bilateral_totals WHERE origin_country IS NULL)
                       OR EXISTS (SELECT 1 FROM bilateral_totals GROUP BY exporter_country, importer_country, origin_country, month HAVING count(*) > 1) THEN
                        RAISE EXCEPTION 'Trade''s totals hold rows the release before Dimensions cannot represent. Restore a backup taken before the upgrade, or empty bilateral_totals and applied_shipments and republish from Shipments after downgrading.';
                    END IF;
                END $$;
                """);
            migrationBuilder.DropTable(
                name: "trade_names");

            migrationBuilder.DropIndex(
                name: "ux_bilateral_totals_key",
                table: "bilateral_totals");

            migrationBuilder.DropColumn(
                name: "buyer",
                table: "bilateral_totals");

            migrationBuilder.DropColumn(
                name: "delivery_month",
                table: "bilateral_totals");

            migrationBuilder.DropColumn(
                name: "discharge_port",
                table: "bilateral_totals");

            migrationBuilder.DropColumn(
                name: "grade",
                table: "bilateral_totals");

            migrationBuilder.DropColumn(
                name: "load_port",
                table: "bilateral_totals");

            migrationBuilder.DropColumn(
                name: "shipper",
                table: "bilateral_totals");

            migrationBuilder.DropColumn(
                name: "valued_barrels",
                table: "bilateral_totals");

            migrationBuilder.DropColumn(
                name: "buyer",
                table: "applied_shipments");

            migrationBuilder.DropColumn(
                name: "delivery_month",
                table: "applied_shipments");

            migrationBuilder.DropColumn(
                name: "discharge_port",
                table: "applied_shipments");

            migrationBuilder.DropColumn(
                name: "grade",
                table: "applied_shipments");

            migrationBuilder.DropColumn(
                name: "load_port",
                table: "applied_shipments");


            migrationBuilder.DropColumn(
                name: "shipper",
                table: "applied_shipments");

            migrationBuilder.AlterColumn<string>(
                name: "origin_country",
                table: "bilateral_totals",
                type: "character(2)",
                fixedLength: true,
                maxLength: 2,
                nullable: false,
                defaultValue: "",
                oldClrType: typeof(string),
                oldType: "character(2)",
                oldFixedLength: true,
                oldMaxLength: 2,
                oldNullable: true);

            migrationBuilder.AddPrimaryKey(
                name: "pk_bilateral_totals",
                table: "bilateral_totals",
                columns: new[] { "exporter_country", "importer_country", "origin_country", "month" });
        }
    }
}
