using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ticketing.Core.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Seating : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "SeatId",
                table: "Tickets",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SeatLabel",
                table: "Tickets",
                type: "TEXT",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SeatRow",
                table: "Tickets",
                type: "TEXT",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SeatSection",
                table: "Tickets",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "Seated",
                table: "PriceCategories",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<Guid>(
                name: "SeatingPlanId",
                table: "Performances",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "SeatId",
                table: "OrderItems",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SeatLabel",
                table: "OrderItems",
                type: "TEXT",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SeatRow",
                table: "OrderItems",
                type: "TEXT",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SeatSection",
                table: "OrderItems",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "PerformanceSeats",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    PerformanceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PlanSeatId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CategoryId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Ordinal = table.Column<int>(type: "INTEGER", nullable: false),
                    Section = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Row = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Label = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    X = table.Column<double>(type: "REAL", nullable: false),
                    Y = table.Column<double>(type: "REAL", nullable: false),
                    Accessible = table.Column<bool>(type: "INTEGER", nullable: false),
                    Companion = table.Column<bool>(type: "INTEGER", nullable: false),
                    Restricted = table.Column<bool>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    OrderId = table.Column<Guid>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PerformanceSeats", x => x.Id);
                    table.CheckConstraint("CK_PerformanceSeats_Order", "(\"Status\" IN ('Held', 'Sold') AND \"OrderId\" IS NOT NULL) OR (\"Status\" IN ('Available', 'Blocked') AND \"OrderId\" IS NULL)");
                    table.ForeignKey(
                        name: "FK_PerformanceSeats_Performances_PerformanceId",
                        column: x => x.PerformanceId,
                        principalTable: "Performances",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "SeatingPlans",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OwnerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    SeatCount = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SeatingPlans", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SeatingPlanSeats",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    PlanId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Ordinal = table.Column<int>(type: "INTEGER", nullable: false),
                    Section = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Row = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Label = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    X = table.Column<double>(type: "REAL", nullable: false),
                    Y = table.Column<double>(type: "REAL", nullable: false),
                    Category = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Accessible = table.Column<bool>(type: "INTEGER", nullable: false),
                    Companion = table.Column<bool>(type: "INTEGER", nullable: false),
                    Restricted = table.Column<bool>(type: "INTEGER", nullable: false),
                    Blocked = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SeatingPlanSeats", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SeatingPlanSeats_SeatingPlans_PlanId",
                        column: x => x.PlanId,
                        principalTable: "SeatingPlans",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "StandingZones",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    PlanId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Ordinal = table.Column<int>(type: "INTEGER", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Capacity = table.Column<int>(type: "INTEGER", nullable: false),
                    Category = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_StandingZones", x => x.Id);
                    table.ForeignKey(
                        name: "FK_StandingZones_SeatingPlans_PlanId",
                        column: x => x.PlanId,
                        principalTable: "SeatingPlans",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_PerformanceSeats_OrderId",
                table: "PerformanceSeats",
                column: "OrderId");

            migrationBuilder.CreateIndex(
                name: "IX_PerformanceSeats_PerformanceId_Ordinal",
                table: "PerformanceSeats",
                columns: new[] { "PerformanceId", "Ordinal" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_PerformanceSeats_PerformanceId_PlanSeatId",
                table: "PerformanceSeats",
                columns: new[] { "PerformanceId", "PlanSeatId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SeatingPlans_OwnerId",
                table: "SeatingPlans",
                column: "OwnerId");

            migrationBuilder.CreateIndex(
                name: "IX_SeatingPlanSeats_PlanId_Ordinal",
                table: "SeatingPlanSeats",
                columns: new[] { "PlanId", "Ordinal" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SeatingPlanSeats_PlanId_Section_Row_Label",
                table: "SeatingPlanSeats",
                columns: new[] { "PlanId", "Section", "Row", "Label" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_StandingZones_PlanId_Ordinal",
                table: "StandingZones",
                columns: new[] { "PlanId", "Ordinal" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "PerformanceSeats");

            migrationBuilder.DropTable(
                name: "SeatingPlanSeats");

            migrationBuilder.DropTable(
                name: "StandingZones");

            migrationBuilder.DropTable(
                name: "SeatingPlans");

            migrationBuilder.DropColumn(
                name: "SeatId",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "SeatLabel",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "SeatRow",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "SeatSection",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "Seated",
                table: "PriceCategories");

            migrationBuilder.DropColumn(
                name: "SeatingPlanId",
                table: "Performances");

            migrationBuilder.DropColumn(
                name: "SeatId",
                table: "OrderItems");

            migrationBuilder.DropColumn(
                name: "SeatLabel",
                table: "OrderItems");

            migrationBuilder.DropColumn(
                name: "SeatRow",
                table: "OrderItems");

            migrationBuilder.DropColumn(
                name: "SeatSection",
                table: "OrderItems");
        }
    }
}
