using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ticketing.Core.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class PayReceipts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "RefundedMinor",
                table: "SimulatedCharges",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<int>(
                name: "VatRateBasisPoints",
                table: "PriceCategories",
                type: "integer",
                nullable: false,
                defaultValue: 550);

            migrationBuilder.AddColumn<long>(
                name: "UnitFeeMinor",
                table: "OrderItems",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<int>(
                name: "VatRateBasisPoints",
                table: "OrderItems",
                type: "integer",
                nullable: false,
                defaultValue: 550);

            migrationBuilder.AddColumn<long>(
                name: "BookingFeeMinor",
                table: "Events",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.CreateTable(
                name: "ReceiptCounters",
                columns: table => new
                {
                    OrganizerId = table.Column<Guid>(type: "uuid", nullable: false),
                    Year = table.Column<int>(type: "integer", nullable: false),
                    Kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Last = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ReceiptCounters", x => new { x.OrganizerId, x.Year, x.Kind });
                });

            migrationBuilder.CreateTable(
                name: "Receipts",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    OrganizerId = table.Column<Guid>(type: "uuid", nullable: false),
                    Year = table.Column<int>(type: "integer", nullable: false),
                    Sequence = table.Column<int>(type: "integer", nullable: false),
                    Number = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    OrderId = table.Column<Guid>(type: "uuid", nullable: false),
                    EventId = table.Column<Guid>(type: "uuid", nullable: false),
                    IssuedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    TotalMinor = table.Column<long>(type: "bigint", nullable: false),
                    VatMinor = table.Column<long>(type: "bigint", nullable: false),
                    Currency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    VatBreakdown = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    BuyerName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Method = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    CorrectsNumber = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Receipts", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Receipts_OrderId",
                table: "Receipts",
                column: "OrderId");

            migrationBuilder.CreateIndex(
                name: "IX_Receipts_OrganizerId_IssuedAt",
                table: "Receipts",
                columns: new[] { "OrganizerId", "IssuedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Receipts_OrganizerId_Kind_Year_Sequence",
                table: "Receipts",
                columns: new[] { "OrganizerId", "Kind", "Year", "Sequence" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ReceiptCounters");

            migrationBuilder.DropTable(
                name: "Receipts");

            migrationBuilder.DropColumn(
                name: "RefundedMinor",
                table: "SimulatedCharges");

            migrationBuilder.DropColumn(
                name: "VatRateBasisPoints",
                table: "PriceCategories");

            migrationBuilder.DropColumn(
                name: "UnitFeeMinor",
                table: "OrderItems");

            migrationBuilder.DropColumn(
                name: "VatRateBasisPoints",
                table: "OrderItems");

            migrationBuilder.DropColumn(
                name: "BookingFeeMinor",
                table: "Events");
        }
    }
}
