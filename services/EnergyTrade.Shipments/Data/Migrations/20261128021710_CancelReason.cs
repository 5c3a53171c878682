using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EnergyTrade.Shipments.Data.Migrations
{
    /// <inheritdoc />
    public partial class CancelReason : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "cancel_reason",
                table: "shipments",
                type: "character varying(512)",
                maxLength: 512,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "cancel_reason",
                table: "shipments");
        }
    }
}
