using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ticketing.Core.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class TicketLife : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "HolderEmail",
                table: "Tickets",
                type: "character varying(256)",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "TransferCount",
                table: "Tickets",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<Guid>(
                name: "TransferredFromId",
                table: "Tickets",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "TransferredToId",
                table: "Tickets",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "MaxTransfersPerTicket",
                table: "Events",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "Transferable",
                table: "Events",
                type: "boolean",
                nullable: false,
                defaultValue: true);

            migrationBuilder.CreateTable(
                name: "CompQuotas",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    EventId = table.Column<Guid>(type: "uuid", nullable: false),
                    PerformanceId = table.Column<Guid>(type: "uuid", nullable: false),
                    CategoryId = table.Column<Guid>(type: "uuid", nullable: false),
                    Quota = table.Column<int>(type: "integer", nullable: false),
                    Issued = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CompQuotas", x => x.Id);
                    table.CheckConstraint("CK_CompQuotas_Issued", "\"Issued\" >= 0 AND \"Issued\" <= \"Quota\"");
                });

            migrationBuilder.CreateTable(
                name: "Comps",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    EventId = table.Column<Guid>(type: "uuid", nullable: false),
                    PerformanceId = table.Column<Guid>(type: "uuid", nullable: false),
                    CategoryId = table.Column<Guid>(type: "uuid", nullable: false),
                    OrderId = table.Column<Guid>(type: "uuid", nullable: false),
                    Quantity = table.Column<int>(type: "integer", nullable: false),
                    GuestName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    GuestEmail = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Note = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    IssuedBy = table.Column<Guid>(type: "uuid", nullable: false),
                    IssuedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Comps", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_HolderEmail",
                table: "Tickets",
                column: "HolderEmail");

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_TransferredFromId",
                table: "Tickets",
                column: "TransferredFromId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_CompQuotas_CategoryId",
                table: "CompQuotas",
                column: "CategoryId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_CompQuotas_EventId",
                table: "CompQuotas",
                column: "EventId");

            migrationBuilder.CreateIndex(
                name: "IX_Comps_EventId_IssuedAt",
                table: "Comps",
                columns: new[] { "EventId", "IssuedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Comps_OrderId",
                table: "Comps",
                column: "OrderId",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CompQuotas");

            migrationBuilder.DropTable(
                name: "Comps");

            migrationBuilder.DropIndex(
                name: "IX_Tickets_HolderEmail",
                table: "Tickets");

            migrationBuilder.DropIndex(
                name: "IX_Tickets_TransferredFromId",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "HolderEmail",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "TransferCount",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "TransferredFromId",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "TransferredToId",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "MaxTransfersPerTicket",
                table: "Events");

            migrationBuilder.DropColumn(
                name: "Transferable",
                table: "Events");
        }
    }
}
