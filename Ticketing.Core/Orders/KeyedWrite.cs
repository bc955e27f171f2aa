using Microsoft.EntityFrameworkCore;
using Ticketing.Core.Common;
using Ticketing.Core.Persistence;

namespace Ticketing.Core.Orders;

/// <summary>
/// The <c>Idempotency-Key</c> of one write, remembered in the write's own transaction: the committer that writes the
/// hold (<see cref="HoldCommitter"/>) or the sale (<see cref="Payments.PaymentCommitter"/>) adds the key's record, answer
/// included, to the same commit. A keyed success then costs no second write, and a crash cannot separate the write from
/// the record that replays it. When the record cannot go with the write (a twin of the key on another instance
/// committed its record first, or a path that does not take records), <see cref="Saved"/> stays false and the caller
/// saves the answer after the commit as before (<see cref="IdempotencyStore.TrySaveAsync"/>), which settles the twin.
/// </summary>
/// <param name="serialize">The answer as the API writes it (the web's JSON options), so that a replay is byte for byte the first answer.</param>
public sealed class KeyedWrite(Guid subject, string scope, string key, string requestHash, int statusCode, Func<object, string> serialize)
{
    /// <summary>The answer's JSON recorded with the write (set with <see cref="Saved"/>).</summary>
    public string? Json { get; private set; }

    /// <summary>True once the record is committed with the write: there is nothing more to save.</summary>
    public bool Saved => Json is not null;

    public int StatusCode => statusCode;

    /// <summary>The record of this key answering <paramref name="answer"/>, to add to the write's transaction.</summary>
    internal IdempotencyRecord RecordOf(object answer, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(), UserId = subject, Scope = scope, Key = key, RequestHash = requestHash,
        StatusCode = statusCode, ResponseJson = serialize(answer), CreatedAt = now,
    };

    /// <summary>
    /// Inserts the records in the caller's open transaction (one statement for all of them) and answers those written.
    /// A record whose key another instance committed first (the unique index) is left out, and only it: the others are
    /// then written one by one. EF Core wraps each SaveChanges of a user transaction in a savepoint, so a refused insert
    /// leaves the transaction usable on both databases. Call before the hot rows are touched (their locks are held
    /// until the commit).
    /// </summary>
    internal static async Task<IReadOnlyList<(KeyedWrite Write, IdempotencyRecord Record)>> AddAsync(
        TicketingDbContext db, IReadOnlyList<(KeyedWrite Write, IdempotencyRecord Record)> records)
    {
        if (records.Count == 0) return records;
        db.IdempotencyRecords.AddRange(records.Select(r => r.Record));
        try
        {
            await db.SaveChangesAsync();
            return records;
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            foreach (var (_, record) in records) db.Entry(record).State = EntityState.Detached;
        }
        var written = new List<(KeyedWrite, IdempotencyRecord)>(records.Count);
        foreach (var entry in records)
        {
            db.IdempotencyRecords.Add(entry.Record);
            try
            {
                await db.SaveChangesAsync();
                written.Add(entry);
            }
            catch (DbUpdateException e) when (e.IsUniqueViolation())
            {
                db.Entry(entry.Record).State = EntityState.Detached;
            }
        }
        return written;
    }

    /// <summary>After the commit: these records are in the database with their writes.</summary>
    internal static void Committed(IEnumerable<(KeyedWrite Write, IdempotencyRecord Record)> written)
    {
        foreach (var (write, record) in written) write.Json = record.ResponseJson;
    }
}
