using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EnergyTrade.Shipments.Data.Migrations
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
                UPDATE shipments SET load_date = CASE WHEN load_date = '-infinity' THEN DATE '0001-01-01' WHEN load_date = 'infinity' THEN DATE '9999-12-31' ELSE load_date END
                WHERE load_date IN ('-infinity', 'infinity');
                UPDATE shipments SET delivery_date = CASE WHEN delivery_date = '-infinity' THEN DATE '0001-01-01' ELSE DATE '9999-12-31' END
                WHERE delivery_date IN ('-infinity', 'infinity');
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Finite dates are what every version reads correctly: nothing to undo.
        }
    }
}
