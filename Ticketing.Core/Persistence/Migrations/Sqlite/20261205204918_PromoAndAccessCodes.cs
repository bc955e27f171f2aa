using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ticketing.Core.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PromoAndAccessCodes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "PresaleOnly",
                table: "PriceCategories",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<long>(
                name: "DiscountMinor",
                table: "Orders",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<string>(
                name: "PromoCode",
                table: "Orders",
                type: "TEXT",
                maxLength: 40,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "UnitDiscountMinor",
                table: "OrderItems",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.CreateTable(
                name: "EventCodes",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    EventId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    Code = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    NormalizedCode = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    MaxUses = table.Column<int>(type: "INTEGER", nullable: false),
                    Uses = table.Column<int>(type: "INTEGER", nullable: false),
                    MaxUsesPerAccount = table.Column<int>(type: "INTEGER", nullable: true),
                    CategoryIds = table.Column<string>(type: "TEXT", nullable: false),
                    ValidFrom = table.Column<long>(type: "INTEGER", nullable: true),
                    ValidTo = table.Column<long>(type: "INTEGER", nullable: true),
                    DisabledAt = table.Column<long>(type: "INTEGER", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedBy = table.Column<Guid>(type: "TEXT", nullable: false),
                    Discount = table.Column<string>(type: "TEXT", maxLength: 10, nullable: true),
                    PercentBasisPoints = table.Column<int>(type: "INTEGER", nullable: true),
                    AmountMinor = table.Column<long>(type: "INTEGER", nullable: true),
                    Currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EventCodes", x => x.Id);
                    table.CheckConstraint("CK_EventCodes_Uses", "\"Uses\" >= 0 AND \"Uses\" <= \"MaxUses\"");
                    table.ForeignKey(
                        name: "FK_EventCodes_Events_EventId",
                        column: x => x.EventId,
                        principalTable: "Events",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "CodeUses",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CodeId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrderId = table.Column<Guid>(type: "TEXT", nullable: false),
                    UserId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CodeUses", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CodeUses_EventCodes_CodeId",
                        column: x => x.CodeId,
                        principalTable: "EventCodes",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_CodeUses_CodeId_OrderId",
                table: "CodeUses",
                columns: new[] { "CodeId", "OrderId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_CodeUses_CodeId_UserId",
                table: "CodeUses",
                columns: new[] { "CodeId", "UserId" });

            migrationBuilder.CreateIndex(
                name: "IX_CodeUses_OrderId",
                table: "CodeUses",
                column: "OrderId");

            migrationBuilder.CreateIndex(
                name: "IX_EventCodes_EventId_Kind_NormalizedCode",
                table: "EventCodes",
                columns: new[] { "EventId", "Kind", "NormalizedCode" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CodeUses");

            migrationBuilder.DropTable(
                name: "EventCodes");

            migrationBuilder.DropColumn(
                name: "PresaleOnly",
                table: "PriceCategories");

            migrationBuilder.DropColumn(
                name: "DiscountMinor",
                table: "Orders");

            migrationBuilder.DropColumn(
                name: "PromoCode",
                table: "Orders");

            migrationBuilder.DropColumn(
                name: "UnitDiscountMinor",
                table: "OrderItems");
        }
    }
}
