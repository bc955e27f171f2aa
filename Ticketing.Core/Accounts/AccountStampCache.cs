using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Ticketing.Core.Persistence;

namespace Ticketing.Core.Accounts;

/// <summary>
/// Answers "is this session's security stamp still the account's?" for every authenticated request (bearer, cookie,
/// Blazor circuit). What it read of an account (its stamp, or that it is locked, deleted or gone) is trusted for
/// <c>Auth:RevalidateSeconds</c>; a change made through <see cref="AppUserManager"/> on this instance forgets it at once,
/// other instances read it again within that delay. One read per account per window: concurrent misses share it.
/// Sessions carry <see cref="Hash"/> of the stamp, never the stamp itself (Identity derives one-time codes from it).
/// </summary>
public sealed class AccountStampCache(IDbContextFactory<TicketingDbContext> dbFactory, IOptions<AuthOptions> options, TimeProvider clock)
{
    /// <summary>
    /// Null <paramref name="StampHash"/>: the account is locked, deleted or unknown. <paramref name="ReadAtWallClock"/> is
    /// when it was read by the wall clock, the clock sessions are issued by.
    /// </summary>
    private sealed record Entry(string? StampHash, DateTimeOffset ReadAt, DateTimeOffset ReadAtWallClock);

    /// <summary>How far apart two instances' clocks may be: a session issued this close to a read may postdate it.</summary>
    private static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(5);

    // The last read of each account, finished or under way: concurrent requests share one read, and a finished one is
    // trusted until it is older than the window.
    private readonly ConcurrentDictionary<Guid, Lazy<Task<Entry>>> _reads = new();
    private readonly TimeSpan _window = TimeSpan.FromSeconds(Math.Max(0, options.Value.RevalidateSeconds));
    private readonly int _capacity = Math.Max(1000, options.Value.ValidatedTokenCacheSize);
    private long _databaseReads;
    // Reads since the last clear, counted by hand (ConcurrentDictionary.Count takes every lock): bounds the memory.
    private long _sinceClear;

    /// <summary>How many times the database was read (for tests and diagnostics).</summary>
    public long DatabaseReads => Interlocked.Read(ref _databaseReads);

    /// <summary>The value a session carries: 16 bytes of the SHA-256 of the stamp, base64url.</summary>
    public static string Hash(string? stamp)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(stamp ?? ""), hash);
        return Convert.ToBase64String(hash[..16]).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>True when the account is active and its stamp still hashes to <paramref name="stampHash"/>.</summary>
    /// <param name="issuedAt">
    /// When the session was issued (wall clock), if known. A session that does not match what was read, but was issued
    /// after that read, is asked of the database again: it may come from another instance, after a change made there
    /// (a sign-out then a sign-in, a new password) that this instance's read predates. An older one is refused from memory.
    /// </param>
    public async ValueTask<bool> IsCurrentAsync(Guid userId, string? stampHash, CancellationToken ct = default, DateTimeOffset? issuedAt = null)
    {
        if (string.IsNullOrEmpty(stampHash)) return false;
        for (var attempt = 0; ; attempt++)
        {
            var read = _reads.GetOrAdd(userId, id => new Lazy<Task<Entry>>(() => ReadAsync(id)));
            Entry entry;
            try
            {
                entry = await read.Value.WaitAsync(ct);
            }
            catch (Exception) when (!ct.IsCancellationRequested)
            {
                _reads.TryRemove(new KeyValuePair<Guid, Lazy<Task<Entry>>>(userId, read)); // the next request reads again
                throw;
            }
            var postdatesRead = issuedAt is { } issued && issued > entry.ReadAtWallClock - ClockSkew;
            if (attempt > 0 || (IsFresh(entry) && (Matches(entry, stampHash) || !postdatesRead))) return Matches(entry, stampHash);
            // Too old, or a newer session than the read: read again, once.
            _reads.TryRemove(new KeyValuePair<Guid, Lazy<Task<Entry>>>(userId, read));
        }
    }

    /// <summary>From memory only: true when a fresh read says the stamp is current (false means "not known", not "revoked").</summary>
    public bool IsKnownCurrent(Guid userId, string? stampHash) =>
        !string.IsNullOrEmpty(stampHash) && _reads.TryGetValue(userId, out var read) && read.IsValueCreated
        && read.Value.IsCompletedSuccessfully && IsFresh(read.Value.Result) && Matches(read.Value.Result, stampHash);

    /// <summary>The account changed on this instance: its next request reads it again.</summary>
    public void Forget(Guid userId) => _reads.TryRemove(userId, out _);

    private static bool Matches(Entry entry, string stampHash) =>
        entry.StampHash is not null && CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(entry.StampHash), Encoding.ASCII.GetBytes(stampHash));

    private bool IsFresh(Entry entry)
    {
        var age = clock.GetUtcNow() - entry.ReadAt;
        return age >= TimeSpan.Zero && age < _window;
    }

    private async Task<Entry> ReadAsync(Guid userId)
    {
        if (Interlocked.Increment(ref _sinceClear) > _capacity)
        {
            Interlocked.Exchange(ref _sinceClear, 0);
            _reads.Clear();
        }
        var readAt = clock.GetUtcNow();
        var readAtWallClock = DateTimeOffset.UtcNow;
        Interlocked.Increment(ref _databaseReads);
        await using var db = await dbFactory.CreateDbContextAsync();
        var row = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new { u.SecurityStamp, u.DeletedAt, u.LockoutEnabled, u.LockoutEnd }).SingleOrDefaultAsync();
        var active = row is not null && row.DeletedAt is null && !(row.LockoutEnabled && row.LockoutEnd > readAt);
        return new Entry(active ? Hash(row!.SecurityStamp) : null, readAt, readAtWallClock);
    }
}
