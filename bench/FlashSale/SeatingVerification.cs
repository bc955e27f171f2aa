using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Ticketing.Bench.FlashSale;

/// <summary>
/// The reserved-seating sale's checks, read straight from the database in ONE snapshot (a read transaction): no seat in
/// two valid tickets nor in two live orders (Reserved or Paid); every seat row agrees with its order (Sold: a Paid order
/// with a valid ticket for that seat; Held: a Reserved order); per category the counters equal the seat rows and the
/// orders (Held = held seat rows = the open holds' seats, Sold = sold seat rows = valid tickets), and never above capacity.
/// </summary>
public static class SeatingVerification
{
    public sealed record Figures(int DoubleSold, bool HeldEqualsSoldPlusOpen, int Oversold, int SoldTotal, JsonArray PerCategory, JsonObject SeatRows,
        IReadOnlyList<string> Violations);

    public static async Task<Figures> ReadAsync(FlashSaleOptions o, Guid performanceId, CancellationToken ct)
    {
        await using DbConnection c = o.Database == DatabaseKind.Sqlite ? new SqliteConnection(o.ConnectionString) : new NpgsqlConnection(o.ConnectionString);
        await c.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(o.Database == DatabaseKind.Sqlite ? IsolationLevel.Serializable : IsolationLevel.RepeatableRead, ct);
        object p = o.Database == DatabaseKind.Sqlite ? Buyers.SqliteGuid(performanceId) : performanceId;
        var bad = new List<string>();

        // A seat in two valid tickets, or in the lines of two live orders.
        var doubleTickets = await ScalarAsync(c, tx, """
            SELECT COUNT(*) FROM (SELECT "SeatId" FROM "Tickets" WHERE "PerformanceId" = @p AND "SeatId" IS NOT NULL AND "Status" = 'Valid'
                                  GROUP BY "SeatId" HAVING COUNT(*) > 1) d
            """, p, ct);
        var doubleLines = await ScalarAsync(c, tx, """
            SELECT COUNT(*) FROM (SELECT i."SeatId" FROM "OrderItems" i JOIN "Orders" o ON o."Id" = i."OrderId"
                                  WHERE o."PerformanceId" = @p AND i."SeatId" IS NOT NULL AND o."Status" IN ('Reserved', 'Paid')
                                  GROUP BY i."SeatId" HAVING COUNT(*) > 1) d
            """, p, ct);
        if (doubleTickets > 0) bad.Add($"{doubleTickets} seats in two valid tickets");
        if (doubleLines > 0) bad.Add($"{doubleLines} seats in two live orders");

        // Seat rows against their orders and tickets.
        var soldRowsNotPaid = await ScalarAsync(c, tx, """
            SELECT COUNT(*) FROM "PerformanceSeats" s LEFT JOIN "Orders" o ON o."Id" = s."OrderId"
            WHERE s."PerformanceId" = @p AND s."Status" = 'Sold' AND (o."Id" IS NULL OR o."Status" <> 'Paid'
              OR NOT EXISTS (SELECT 1 FROM "Tickets" t WHERE t."SeatId" = s."Id" AND t."OrderId" = s."OrderId" AND t."Status" = 'Valid'))
            """, p, ct);
        var heldRowsNotReserved = await ScalarAsync(c, tx, """
            SELECT COUNT(*) FROM "PerformanceSeats" s LEFT JOIN "Orders" o ON o."Id" = s."OrderId"
            WHERE s."PerformanceId" = @p AND s."Status" = 'Held' AND (o."Id" IS NULL OR o."Status" <> 'Reserved')
            """, p, ct);
        var ticketsNotOnSoldRow = await ScalarAsync(c, tx, """
            SELECT COUNT(*) FROM "Tickets" t JOIN "PriceCategories" pc ON pc."Id" = t."CategoryId"
              LEFT JOIN "PerformanceSeats" s ON s."Id" = t."SeatId"
            WHERE t."PerformanceId" = @p AND t."Status" = 'Valid' AND (pc."Seated" OR t."SeatId" IS NOT NULL)
              AND (s."Id" IS NULL OR s."Status" <> 'Sold' OR s."OrderId" <> t."OrderId")
            """, p, ct);
        var holdLinesNotOnHeldRow = await ScalarAsync(c, tx, """
            SELECT COUNT(*) FROM "OrderItems" i JOIN "Orders" o ON o."Id" = i."OrderId" JOIN "PriceCategories" pc ON pc."Id" = i."CategoryId"
              LEFT JOIN "PerformanceSeats" s ON s."Id" = i."SeatId"
            WHERE o."PerformanceId" = @p AND o."Status" = 'Reserved' AND (pc."Seated" OR i."SeatId" IS NOT NULL)
              AND (s."Id" IS NULL OR s."Status" <> 'Held' OR s."OrderId" <> o."Id")
            """, p, ct);
        if (soldRowsNotPaid > 0) bad.Add($"{soldRowsNotPaid} sold seat rows without a paid order and its valid ticket");
        if (heldRowsNotReserved > 0) bad.Add($"{heldRowsNotReserved} held seat rows without a running hold");
        if (ticketsNotOnSoldRow > 0) bad.Add($"{ticketsNotOnSoldRow} valid tickets whose seat row is not sold to their order");
        if (holdLinesNotOnHeldRow > 0) bad.Add($"{holdLinesNotOnHeldRow} seats of running holds whose seat row is not held by them");

        // Per category: the counters, the seat rows, the orders.
        var perCategory = new JsonArray();
        var balanced = true;
        var oversold = 0;
        var soldTotal = 0;
        await using (var cmd = c.CreateCommand())
        {
            cmd.Transaction = tx;
            cmd.CommandText = """
                SELECT pc."Name", pc."Capacity", pc."Held", pc."Sold", pc."Seated",
                  (SELECT COUNT(*) FROM "PerformanceSeats" s WHERE s."CategoryId" = pc."Id" AND s."Status" <> 'Blocked'),
                  (SELECT COUNT(*) FROM "PerformanceSeats" s WHERE s."CategoryId" = pc."Id" AND s."Status" = 'Held'),
                  (SELECT COUNT(*) FROM "PerformanceSeats" s WHERE s."CategoryId" = pc."Id" AND s."Status" = 'Sold'),
                  (SELECT COUNT(*) FROM "Tickets" t WHERE t."CategoryId" = pc."Id" AND t."Status" = 'Valid'),
                  (SELECT COALESCE(SUM(i."Quantity"), 0) FROM "OrderItems" i JOIN "Orders" o ON o."Id" = i."OrderId"
                     WHERE i."CategoryId" = pc."Id" AND o."Status" = 'Reserved')
                FROM "PriceCategories" pc WHERE pc."PerformanceId" = @p ORDER BY pc."Name"
                """;
            Add(cmd, p);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                int I(int i) => Convert.ToInt32(r.GetValue(i), CultureInfo.InvariantCulture);
                var (name, capacity, held, sold, seated) = (r.GetString(0), I(1), I(2), I(3), Convert.ToBoolean(r.GetValue(4), CultureInfo.InvariantCulture));
                var (seatRows, heldRows, soldRows, tickets, openHoldSeats) = (I(5), I(6), I(7), I(8), I(9));
                // Seats taken (held or sold rows) = sold + the open holds' seats, and the counters say the same. A category
                // the plan does not name stays general admission: its counters against its tickets and holds only.
                var ok = held == openHoldSeats && sold == tickets && sold + held <= capacity
                         && (!seated || (held == heldRows && sold == soldRows && heldRows + soldRows == tickets + openHoldSeats && capacity == seatRows));
                balanced &= ok;
                oversold += Math.Max(0, sold + held - capacity) + Math.Max(0, tickets + openHoldSeats - (seated ? seatRows : capacity));
                soldTotal += tickets;
                if (!ok) bad.Add($"{name}: counters held {held} / sold {sold} / capacity {capacity}, seat rows held {heldRows} / sold {soldRows} / sellable {seatRows}, valid tickets {tickets}, open holds' seats {openHoldSeats}");
                perCategory.Add(new JsonObject
                {
                    ["name"] = name, ["seated"] = seated, ["capacity"] = capacity, ["held"] = held, ["sold"] = sold, ["seatRowsHeld"] = heldRows, ["seatRowsSold"] = soldRows,
                    ["validTickets"] = tickets, ["openHoldSeats"] = openHoldSeats,
                });
            }
        }
        if (oversold > 0) bad.Add($"oversold by {oversold} seats");

        var rows = new JsonObject();
        await using (var cmd = c.CreateCommand())
        {
            cmd.Transaction = tx;
            cmd.CommandText = """SELECT "Status", COUNT(*) FROM "PerformanceSeats" WHERE "PerformanceId" = @p GROUP BY "Status" ORDER BY "Status" """;
            Add(cmd, p);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct)) rows[r.GetString(0)] = Convert.ToInt32(r.GetValue(1), CultureInfo.InvariantCulture);
        }
        await tx.CommitAsync(ct);
        return new Figures(doubleTickets + doubleLines, balanced && soldRowsNotPaid + heldRowsNotReserved + ticketsNotOnSoldRow + holdLinesNotOnHeldRow == 0,
            oversold, soldTotal, perCategory, rows, bad);
    }

    private static async Task<int> ScalarAsync(DbConnection c, DbTransaction tx, string sql, object p, CancellationToken ct)
    {
        await using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        Add(cmd, p);
        return Convert.ToInt32(await cmd.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
    }

    private static void Add(DbCommand cmd, object value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = "@p";
        p.Value = value;
        cmd.Parameters.Add(p);
    }
}
