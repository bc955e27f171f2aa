using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Ticketing.Bench.FlashSale;

/// <summary>The after-sale checks read straight from the database, not from the API.</summary>
public static class Verification
{
    public sealed record DbFigures(int Capacity, int Sold, int Held, int ValidTickets, int DistinctTicketNumbers, int PaidOrders, int ReservedOrders);

    public static async Task<DbFigures> ReadAsync(FlashSaleOptions o, ApiClient.SaleTarget t, CancellationToken ct)
    {
        await using DbConnection c = o.Database == DatabaseKind.Sqlite ? new SqliteConnection(o.ConnectionString) : new NpgsqlConnection(o.ConnectionString);
        await c.OpenAsync(ct);
        // SQLite keeps GUIDs as upper-case TEXT (EF Core); PostgreSQL as uuid.
        object Id(Guid g) => o.Database == DatabaseKind.Sqlite ? Buyers.SqliteGuid(g) : g;

        await using var cmd = c.CreateCommand();
        cmd.CommandText = """
            SELECT "Capacity", "Sold", "Held",
              (SELECT COUNT(*) FROM "Tickets" WHERE "CategoryId" = @c AND "Status" = 'Valid'),
              (SELECT COUNT(DISTINCT "Number") FROM "Tickets" WHERE "CategoryId" = @c AND "Status" = 'Valid'),
              (SELECT COUNT(*) FROM "Orders" WHERE "PerformanceId" = @p AND "Status" = 'Paid'),
              (SELECT COUNT(*) FROM "Orders" WHERE "PerformanceId" = @p AND "Status" = 'Reserved')
            FROM "PriceCategories" WHERE "Id" = @c
            """;
        AddParameter(cmd, "@c", Id(t.CategoryId));
        AddParameter(cmd, "@p", Id(t.PerformanceId));
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct)) throw new InvalidOperationException($"category {t.CategoryId} not found in the database");
        return new DbFigures(I(r, 0), I(r, 1), I(r, 2), I(r, 3), I(r, 4), I(r, 5), I(r, 6));

        static int I(DbDataReader r, int i) => Convert.ToInt32(r.GetValue(i), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Confirmations not yet sent: of the whole app (<paramref name="performance"/> null), or of one performance's
    /// paid orders. The outbox is the app's, not the tool's: this only reads it.
    /// </summary>
    public static async Task<int> UnsentConfirmationsAsync(FlashSaleOptions o, Guid? performance, CancellationToken ct)
    {
        await using DbConnection c = o.Database == DatabaseKind.Sqlite ? new SqliteConnection(o.ConnectionString) : new NpgsqlConnection(o.ConnectionString);
        await c.OpenAsync(ct);
        await using var cmd = c.CreateCommand();
        if (performance is { } p)
        {
            cmd.CommandText = """
                SELECT COUNT(*) FROM "Orders" o
                WHERE o."PerformanceId" = @p AND o."Status" = 'Paid'
                  AND NOT EXISTS (SELECT 1 FROM "Notifications" n WHERE n."OrderId" = o."Id" AND n."Status" = 'Sent')
                """;
            AddParameter(cmd, "@p", o.Database == DatabaseKind.Sqlite ? Buyers.SqliteGuid(p) : p);
        }
        else
        {
            cmd.CommandText = """SELECT COUNT(*) FROM "Notifications" WHERE "Status" IN ('Pending', 'Sending')""";
        }
        return Convert.ToInt32(await cmd.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void AddParameter(DbCommand cmd, string name, object value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        cmd.Parameters.Add(p);
    }
}
