using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ticketing.Core.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class OrganizerTools : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AttendeeMessageRecipients",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    MessageId = table.Column<Guid>(type: "TEXT", nullable: false),
                    UserId = table.Column<Guid>(type: "TEXT", nullable: false),
                    NormalizedEmail = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Language = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    Channel = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AttendeeMessageRecipients", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AttendeeMessages",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    EventId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PerformanceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CategoryId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    SubjectEn = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    BodyEn = table.Column<string>(type: "TEXT", maxLength: 5000, nullable: false),
                    SubjectFr = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    BodyFr = table.Column<string>(type: "TEXT", maxLength: 5000, nullable: false),
                    RecipientCount = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedBy = table.Column<Guid>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    SentAt = table.Column<long>(type: "INTEGER", nullable: true),
                    PreviousStartsAt = table.Column<long>(type: "INTEGER", nullable: true),
                    PreviousVenue = table.Column<string>(type: "TEXT", maxLength: 600, nullable: true),
                    RefundUntil = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AttendeeMessages", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AttendeeMessageRecipients_MessageId_NormalizedEmail",
                table: "AttendeeMessageRecipients",
                columns: new[] { "MessageId", "NormalizedEmail" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AttendeeMessages_EventId_CreatedAt",
                table: "AttendeeMessages",
                columns: new[] { "EventId", "CreatedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AttendeeMessageRecipients");

            migrationBuilder.DropTable(
                name: "AttendeeMessages");
        }
    }
}
