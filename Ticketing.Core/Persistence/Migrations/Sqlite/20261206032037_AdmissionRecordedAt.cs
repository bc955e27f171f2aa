using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ticketing.Core.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AdmissionRecordedAt : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Tickets_UsedAt",
                table: "Tickets");

            migrationBuilder.AddColumn<long>(
                name: "AdmissionRecordedAt",
                table: "Tickets",
                type: "INTEGER",
                nullable: true);

            // Admissions before this version were all recorded when they happened (or the webhook scan has passed them).
            migrationBuilder.Sql("UPDATE \"Tickets\" SET \"AdmissionRecordedAt\" = \"UsedAt\" WHERE \"UsedAt\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_AdmissionRecordedAt",
                table: "Tickets",
                column: "AdmissionRecordedAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Tickets_AdmissionRecordedAt",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "AdmissionRecordedAt",
                table: "Tickets");

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_UsedAt",
                table: "Tickets",
                column: "UsedAt");
        }
    }
}
