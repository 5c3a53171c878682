using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EnergyTrade.Shipments.Data.Migrations
{
    /// <inheritdoc />
    public partial class Buyer : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "buyer",
                table: "shipments",
                type: "character varying(128)",
                maxLength: 128,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "buyer",
                table: "shipments");
        }
    }
}
