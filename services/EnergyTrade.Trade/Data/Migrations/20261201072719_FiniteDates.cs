using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EnergyTrade.Trade.Data.Migrations
{
    /// <inheritdoc />
    public partial class FiniteDates : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Npgsql used to write DateOnly.MinValue/MaxValue as -infinity/infinity; the services now
            // map dates as dates (Npgsql.DisableDateTimeInfinityConversions), so turn them back.
            migrationBuilder.Sql("""
                UPDATE bilateral_totals SET month = DATE '0001-01-01' WHERE month = '-infinity';
                UPDATE applied_shipments SET month = DATE '0001-01-01' WHERE month = '-infinity';
                UPDATE refused_events SET month = DATE '0001-01-01' WHERE month = '-infinity';
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Finite dates are what every version reads correctly: nothing to undo.
        }
    }
}
