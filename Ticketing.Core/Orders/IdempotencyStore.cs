using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ticketing.Core.Common;
using Ticketing.Core.Persistence;

namespace Ticketing.Core.Orders;

public sealed record IdempotentAnswer(int StatusCode, string Json);

/// <summary>
/// <c>Idempotency-Key</c> on writes that spend money or seats, without costing the database what it protects:
/// <list type="bullet">
/// <item>duplicates in flight on this instance wait IN MEMORY for the first one's answer (<see cref="Enter"/>): one of
/// them runs, the others replay its answer (or run in turn when it was refused);</item>
/// <item>an earlier answer is looked up by ONE indexed read (<see cref="FindAsync"/>), no write;</item>
/// <item>a refused request (sold_out, validation, declined card...) writes NOTHING: it keeps no record, so the same
/// request may be tried again;</item>
/// <item>a success writes its complete record ONCE: holds and card payments in the transaction of the write itself
/// (<see cref="KeyedWrite"/>: no second write), the other keyed writes right after their commit
/// (<see cref="TrySaveAsync"/>, group-committed with the other successes of the moment); the unique index
/// (UserId, Scope, Key) decides between duplicates that ran on two instances at once (the loser undoes its write, when
/// it has one to undo, and replays the winner's answer).</item>
/// </list>
/// The request is remembered by a keyed hash (HMAC) only, so a card number never lands in the table; the hash key is
/// read once per process.
/// </summary>
public sealed class IdempotencyStore(
    IDbContextFactory<TicketingDbContext> dbFactory,
    SecretStore secrets,
    IStringLocalizer<SharedResource> localizer,
    IOptions<IdempotencyOptions> options,
    IOptions<OrderOptions> orderOptions,
    TimeProvider clock,
    ILogger<IdempotencyStore> logger)
{
    /// <summary>The successes' records, group-committed (many per transaction; a conflict runs the batch row by row).</summary>
    private readonly GroupCommit<IdempotencyRecord, bool> _saves = InsertBatch.Create<IdempotencyRecord>(dbFactory, orderOptions.Value.GroupCommitMaxBatch);

    /// <summary>
    /// The "has this key an answer?" reads of the moment, one query for many (one lane: under an on-sale's thousands of
    /// keyed refusals the batch grows with the load; alone, a read waits for nobody).
    /// </summary>
    private GroupCommit<(Guid UserId, string Scope, string Key), bool>? _lookups;

    public const int MaxKeyLength = 200;
    public const string HashKeyName = "idempotency-hash-key";

    /// <summary>How long a duplicate waits for the first request of its key before answering payment_in_progress.</summary>
    public static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(30);

    private static readonly JsonSerializerOptions Canonical = new(JsonSerializerDefaults.Web);
    private readonly ConcurrentDictionary<(Guid UserId, string Scope, string Key), Lease> _inFlight = new();
    private volatile byte[]? _hashKey;

    public async ValueTask<string> HashAsync(string scope, object request, CancellationToken ct = default)
    {
        var key = _hashKey ??= await secrets.GetOrCreateKeyAsync(HashKeyName, null, 32, ct);
        var bytes = Encoding.UTF8.GetBytes(scope + "\n" + JsonSerializer.Serialize(request, request.GetType(), Canonical));
        return Convert.ToHexStringLower(HMACSHA256.HashData(key, bytes));
    }

    public void EnsureKeyLength(string key)
    {
        if (key.Length > MaxKeyLength)
            throw new RequestValidationException(new Validator(localizer).Add("Idempotency-Key", "Validation.MaxLength", MaxKeyLength).Errors);
    }

    /// <summary>
    /// Takes the key on this instance, or waits in memory for the request that holds it: its answer to replay, or null
    /// once the key is ours (dispose the lease when done). A different body under a key in flight: idempotency_key_reused.
    /// </summary>
    public async Task<(Lease? Lease, IdempotentAnswer? Replay)> Enter(Guid userId, string scope, string key, string requestHash, CancellationToken ct)
    {
        var id = (userId, scope, key);
        var deadline = DateTime.UtcNow + WaitLimit; // real time: the test clock may stand still
        while (true)
        {
            var mine = new Lease(this, id, requestHash);
            var holder = _inFlight.GetOrAdd(id, mine);
            if (ReferenceEquals(holder, mine)) return (mine, null);
            if (!SameHash(holder.RequestHash, requestHash)) throw Reused();
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) throw InProgress();
            IdempotentAnswer? answer;
            try { answer = await holder.Answer.WaitAsync(left, ct); }
            catch (TimeoutException) { throw InProgress(); }
            if (answer is not null) return (null, answer);
            // The first one was refused (it left nothing behind): this one runs in turn.
        }
    }

    /// <summary>
    /// The earlier answer of this key, read from the database (a replay), or null: never asked, or asked and refused.
    /// A record without an answer (written by a previous version, whose request is still running) is waited for.
    /// </summary>
    public async Task<IdempotentAnswer?> FindAsync(Guid userId, string scope, string key, string requestHash, CancellationToken ct = default)
    {
        var deadline = DateTime.UtcNow + WaitLimit;
        while (true)
        {
            IdempotencyRecord? existing;
            await using (var db = await dbFactory.CreateDbContextAsync(ct))
                existing = await db.IdempotencyRecords.AsNoTracking()
                    .FirstOrDefaultAsync(r => r.UserId == userId && r.Scope == scope && r.Key == key, ct);
            if (existing is null) return null;
            if (!SameHash(existing.RequestHash, requestHash)) throw Reused();
            if (existing.StatusCode is { } status) return new IdempotentAnswer(status, existing.ResponseJson ?? "null");
            if (DateTime.UtcNow > deadline) throw InProgress();
            await Task.Delay(50, ct);
        }
    }

    /// <summary>
    /// Whether this key may have an answer to replay: a request of it in flight on this instance, or a record (one indexed
    /// read, no hashing). False means that running the request now is the key's first run: a refusal known from memory
    /// (sold out) may then be given without running it, as it would be given by running it.
    /// </summary>
    public async ValueTask<bool> MayHaveAnswerAsync(Guid userId, string scope, string key, CancellationToken ct = default)
    {
        if (_inFlight.ContainsKey((userId, scope, key))) return true;
        var lookups = LazyInitializer.EnsureInitialized(ref _lookups,
            () => new GroupCommit<(Guid UserId, string Scope, string Key), bool>(AnyRecordsAsync, orderOptions.Value.GroupCommitMaxBatch, lanes: 1));
        return await lookups.RunAsync(Guid.Empty, (userId, scope, key)).WaitAsync(ct);
    }

    /// <summary>Which of these keys have a record: one indexed read for the batch (users and keys narrow it, the exact triple decides).</summary>
    private async Task<IReadOnlyList<bool>> AnyRecordsAsync(IReadOnlyList<(Guid UserId, string Scope, string Key)> asked)
    {
        var users = asked.Select(a => a.UserId).Distinct().ToList();
        var keys = asked.Select(a => a.Key).Distinct().ToList();
        await using var db = await dbFactory.CreateDbContextAsync();
        var found = (await db.IdempotencyRecords.AsNoTracking()
                .Where(r => users.Contains(r.UserId) && keys.Contains(r.Key))
                .Select(r => new { r.UserId, r.Scope, r.Key })
                .ToListAsync())
            .Select(r => (r.UserId, r.Scope, r.Key)).ToHashSet();
        return asked.Select(found.Contains).ToList();
    }

    /// <summary>
    /// After a refusal a twin may have caused (the same key running on another instance): the twin's answer once it is
    /// saved, polled for at most <paramref name="wait"/> (reads only); null when none comes.
    /// </summary>
    public async Task<IdempotentAnswer?> AwaitTwinAsync(Guid userId, string scope, string key, string requestHash, TimeSpan wait, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + wait;
        while (true)
        {
            if (await FindAsync(userId, scope, key, requestHash, ct) is { } answer) return answer;
            if (DateTime.UtcNow > deadline) return null;
            await Task.Delay(50, ct);
        }
    }

    /// <summary>
    /// Remembers a success: one insert. False when another instance saved an answer for the same key first (its answer
    /// is then what the caller replays, after undoing its own write).
    /// </summary>
    public async Task<bool> TrySaveAsync(Guid userId, string scope, string key, string requestHash, IdempotentAnswer answer)
    {
        var record = new IdempotencyRecord
        {
            Id = Guid.CreateVersion7(), UserId = userId, Scope = scope, Key = key, RequestHash = requestHash,
            StatusCode = answer.StatusCode, ResponseJson = answer.Json, CreatedAt = clock.GetUtcNow(),
        };
        try
        {
            // With the other successes arriving meanwhile: one commit for many records.
            await _saves.RunAsync(userId, record);
            return true;
        }
        catch (DbUpdateException)
        {
            // The same key ran on another instance at the same time (an expected conflict, not an error).
            logger.LogDebug("Idempotency key of user {UserId} for {Scope} saved by another request first", userId, scope);
            return false;
        }
    }

    /// <summary>Deletes the records older than <see cref="IdempotencyOptions.RetentionHours"/>; returns how many.</summary>
    public async Task<int> PurgeExpiredAsync(CancellationToken ct = default)
    {
        var cutoff = clock.GetUtcNow().AddHours(-options.Value.RetentionHours);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var purged = await db.IdempotencyRecords.Where(r => r.CreatedAt < cutoff).ExecuteDeleteAsync(ct);
        if (purged > 0) logger.LogInformation("Purged {Count} idempotency records older than {Cutoff}", purged, cutoff);
        return purged;
    }

    public DomainException Reused() => new(ErrorCodes.IdempotencyKeyReused, localizer["Error.idempotency_key_reused"]);

    private DomainException InProgress() => new(ErrorCodes.PaymentInProgress, localizer["Error.payment_in_progress"]);

    private static bool SameHash(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(a), Encoding.ASCII.GetBytes(b));

    /// <summary>A key held by one request of this instance; its duplicates wait on <see cref="Answer"/>.</summary>
    public sealed class Lease(IdempotencyStore store, (Guid, string, string) id, string requestHash) : IDisposable
    {
        private readonly TaskCompletionSource<IdempotentAnswer?> _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string RequestHash { get; } = requestHash;

        /// <summary>The answer to replay, or null when the request was refused (the waiters then run in turn).</summary>
        public Task<IdempotentAnswer?> Answer => _answer.Task;

        public void Complete(IdempotentAnswer answer) => _answer.TrySetResult(answer);

        public void Dispose()
        {
            store._inFlight.TryRemove(new KeyValuePair<(Guid, string, string), Lease>(id, this));
            _answer.TrySetResult(null);
        }
    }
}
