using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ticketing.Core.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class WaitlistReserve : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "WaitlistSeats",
                table: "PriceCategories",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddCheckConstraint(
                name: "CK_PriceCategories_WaitlistSeats",
                table: "PriceCategories",
                sql: "\"WaitlistSeats\" >= 0");

            // The line's reservation of the entries already waiting (the same SQL on SQLite and PostgreSQL).
            migrationBuilder.Sql(
                "UPDATE \"PriceCategories\" SET \"WaitlistSeats\" = (SELECT COALESCE(SUM(e.\"Quantity\"), 0) FROM \"WaitlistEntries\" e " +
                "WHERE e.\"CategoryId\" = \"PriceCategories\".\"Id\" AND e.\"Status\" = 'Waiting')");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "CK_PriceCategories_WaitlistSeats",
                table: "PriceCategories");

            migrationBuilder.DropColumn(
                name: "WaitlistSeats",
                table: "PriceCategories");
        }
    }
}
