using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Ticketing.Core.Persistence;

namespace Ticketing.Core.Common;

/// <summary>
/// Keys that must be the same on every instance and survive restarts (JWT and ticket signing keys) but must never be
/// committed: taken from configuration when set, otherwise generated once and persisted in the database.
/// </summary>
public sealed class SecretStore(IDbContextFactory<TicketingDbContext> dbFactory, TimeProvider clock)
{
    private readonly Dictionary<string, byte[]> _cache = new();
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<byte[]> GetOrCreateKeyAsync(string name, string? configuredBase64, int sizeBytes = 32, CancellationToken ct = default)
    {
        if (!string.IsNullOrWhiteSpace(configuredBase64))
            return Convert.FromBase64String(configuredBase64);

        await _gate.WaitAsync(ct);
        try
        {
            if (_cache.TryGetValue(name, out var cached)) return cached;
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var existing = await db.AppSecrets.AsNoTracking().FirstOrDefaultAsync(s => s.Name == name, ct);
            if (existing is null)
            {
                db.AppSecrets.Add(new AppSecret
                {
                    Name = name, Value = Convert.ToBase64String(RandomNumberGenerator.GetBytes(sizeBytes)), CreatedAt = clock.GetUtcNow(),
                });
                try { await db.SaveChangesAsync(ct); }
                catch (DbUpdateException)
                {
                    // Another instance created it first: theirs wins.
                }
                existing = await db.AppSecrets.AsNoTracking().FirstAsync(s => s.Name == name, ct);
            }
            return _cache[name] = Convert.FromBase64String(existing.Value);
        }
        finally { _gate.Release(); }
    }
}
