using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EnergyTrade.Trade.Data.Migrations
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
                ALTER TABLE refused_events RENAME CONSTRAINT "PK_refused_events" TO pk_refused_events;
                ALTER TABLE bilateral_totals RENAME CONSTRAINT "PK_bilateral_totals" TO pk_bilateral_totals;
                ALTER TABLE applied_shipments RENAME CONSTRAINT "PK_applied_shipments" TO pk_applied_shipments;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                ALTER TABLE refused_events RENAME CONSTRAINT pk_refused_events TO "PK_refused_events";
                ALTER TABLE bilateral_totals RENAME CONSTRAINT pk_bilateral_totals TO "PK_bilateral_totals";
                ALTER TABLE applied_shipments RENAME CONSTRAINT pk_applied_shipments TO "PK_applied_shipments";
                """);
        }
    }
}
