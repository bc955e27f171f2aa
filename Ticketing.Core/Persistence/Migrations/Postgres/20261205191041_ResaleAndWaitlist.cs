using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ticketing.Core.Persistence.Migrations.Postgres
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
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "ResaleEnabled",
                table: "Events",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "ResaleListings",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    TicketId = table.Column<Guid>(type: "uuid", nullable: false),
                    SellerId = table.Column<Guid>(type: "uuid", nullable: false),
                    SellerOrderId = table.Column<Guid>(type: "uuid", nullable: false),
                    EventId = table.Column<Guid>(type: "uuid", nullable: false),
                    PerformanceId = table.Column<Guid>(type: "uuid", nullable: false),
                    CategoryId = table.Column<Guid>(type: "uuid", nullable: false),
                    CategoryName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    PriceMinor = table.Column<long>(type: "bigint", nullable: false),
                    Currency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    Status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    BuyerOrderId = table.Column<Guid>(type: "uuid", nullable: true),
                    SoldAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    NewTicketId = table.Column<Guid>(type: "uuid", nullable: true),
                    SellerRefundClaimedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    SellerRefundedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    WithdrawnAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ResaleListings", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "WaitlistEntries",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    EventId = table.Column<Guid>(type: "uuid", nullable: false),
                    PerformanceId = table.Column<Guid>(type: "uuid", nullable: false),
                    CategoryId = table.Column<Guid>(type: "uuid", nullable: false),
                    UserId = table.Column<Guid>(type: "uuid", nullable: false),
                    Quantity = table.Column<int>(type: "integer", nullable: false),
                    Status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    OfferOrderId = table.Column<Guid>(type: "uuid", nullable: true),
                    OfferedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    OfferExpiresAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ClosedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
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
