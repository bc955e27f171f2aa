using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ticketing.Core.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class DoorDevices : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "AdmittedByDeviceId",
                table: "Tickets",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "DoorDevices",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    EventId = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Gate = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    PerformanceIds = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    TokenHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    CreatedBy = table.Column<Guid>(type: "uuid", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    RevokedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    LastSeenAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    LastSyncAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ConflictCount = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DoorDevices", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_DoorDevices_EventId",
                table: "DoorDevices",
                column: "EventId");

            migrationBuilder.CreateIndex(
                name: "IX_DoorDevices_TokenHash",
                table: "DoorDevices",
                column: "TokenHash",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DoorDevices");

            migrationBuilder.DropColumn(
                name: "AdmittedByDeviceId",
                table: "Tickets");
        }
    }
}
