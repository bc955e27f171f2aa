using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ticketing.Core.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ResaleAndWaitlist : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "ResaleListingId",
                table: "Orders",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "ResaleEnabled",
                table: "Events",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "ResaleListings",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    TicketId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SellerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SellerOrderId = table.Column<Guid>(type: "TEXT", nullable: false),
                    EventId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PerformanceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CategoryId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CategoryName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    PriceMinor = table.Column<long>(type: "INTEGER", nullable: false),
                    Currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    BuyerOrderId = table.Column<Guid>(type: "TEXT", nullable: true),
                    SoldAt = table.Column<long>(type: "INTEGER", nullable: true),
                    NewTicketId = table.Column<Guid>(type: "TEXT", nullable: true),
                    SellerRefundClaimedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    SellerRefundedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    WithdrawnAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ResaleListings", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "WaitlistEntries",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    EventId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PerformanceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CategoryId = table.Column<Guid>(type: "TEXT", nullable: false),
                    UserId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Quantity = table.Column<int>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    OfferOrderId = table.Column<Guid>(type: "TEXT", nullable: true),
                    OfferedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    OfferExpiresAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ClosedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WaitlistEntries", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ResaleListings_BuyerOrderId",
                table: "ResaleListings",
                column: "BuyerOrderId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ResaleListings_PerformanceId_Status",
                table: "ResaleListings",
                columns: new[] { "PerformanceId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_ResaleListings_SellerId_CreatedAt",
                table: "ResaleListings",
                columns: new[] { "SellerId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_ResaleListings_TicketId_Open",
                table: "ResaleListings",
                column: "TicketId",
                unique: true,
                filter: "\"Status\" IN ('Active', 'Held')");

            migrationBuilder.CreateIndex(
                name: "IX_WaitlistEntries_CategoryId_Status_CreatedAt",
                table: "WaitlistEntries",
                columns: new[] { "CategoryId", "Status", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_WaitlistEntries_CategoryId_UserId",
                table: "WaitlistEntries",
                columns: new[] { "CategoryId", "UserId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_WaitlistEntries_OfferOrderId",
                table: "WaitlistEntries",
                column: "OfferOrderId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_WaitlistEntries_UserId_PerformanceId",
                table: "WaitlistEntries",
                columns: new[] { "UserId", "PerformanceId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ResaleListings");

            migrationBuilder.DropTable(
                name: "WaitlistEntries");

            migrationBuilder.DropColumn(
                name: "ResaleListingId",
                table: "Orders");

            migrationBuilder.DropColumn(
                name: "ResaleEnabled",
                table: "Events");
        }
    }
}
