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
/// <c>Idempotency-Key</c> on writes that spend money or seats. The record is inserted FIRST: the unique index
/// (UserId, Scope, Key) lets exactly one of several concurrent duplicates run; the others wait for its answer and
/// replay it. The request is remembered by a keyed hash (HMAC) only, so a card number never lands in the table.
/// A failed request (a business error) forgets its key, so the same request may be tried again.
/// </summary>
public sealed class IdempotencyStore(
    IDbContextFactory<TicketingDbContext> dbFactory,
    SecretStore secrets,
    IStringLocalizer<SharedResource> localizer,
    IOptions<IdempotencyOptions> options,
    TimeProvider clock,
    ILogger<IdempotencyStore> logger)
{
    public const int MaxKeyLength = 200;
    private static readonly JsonSerializerOptions Canonical = new(JsonSerializerDefaults.Web);

    public async Task<string> HashAsync(string scope, object request, CancellationToken ct = default)
    {
        var key = await secrets.GetOrCreateKeyAsync("idempotency-hash-key", null, 32, ct);
        var bytes = Encoding.UTF8.GetBytes(scope + "\n" + JsonSerializer.Serialize(request, request.GetType(), Canonical));
        return Convert.ToHexStringLower(HMACSHA256.HashData(key, bytes));
    }

    /// <summary>Null: the caller owns the key and must <see cref="CompleteAsync"/> or <see cref="AbandonAsync"/>; else the answer to replay.</summary>
    public async Task<IdempotentAnswer?> BeginAsync(Guid userId, string scope, string key, string requestHash, CancellationToken ct = default)
    {
        if (key.Length > MaxKeyLength)
            throw new RequestValidationException(new Validator(localizer).Add("Idempotency-Key", "Validation.MaxLength", MaxKeyLength).Errors);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            await using (var db = await dbFactory.CreateDbContextAsync(ct))
            {
                db.IdempotencyRecords.Add(new IdempotencyRecord
                {
                    Id = Guid.CreateVersion7(), UserId = userId, Scope = scope, Key = key, RequestHash = requestHash, CreatedAt = clock.GetUtcNow(),
                });
                try
                {
                    await db.SaveChangesAsync(ct);
                    return null;
                }
                catch (DbUpdateException)
                {
                    // Taken: replay, refuse, or wait for the first request to finish (an expected conflict, not an error).
                    logger.LogDebug("Idempotency key of user {UserId} for {Scope} already taken", userId, scope);
                }
            }
            await using (var db = await dbFactory.CreateDbContextAsync(ct))
            {
                var existing = await db.IdempotencyRecords.AsNoTracking()
                    .FirstOrDefaultAsync(r => r.UserId == userId && r.Scope == scope && r.Key == key, ct);
                if (existing is not null)
                {
                    if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(existing.RequestHash), Encoding.ASCII.GetBytes(requestHash)))
                        throw new DomainException(ErrorCodes.IdempotencyKeyReused, localizer["Error.idempotency_key_reused"]);
                    if (existing.StatusCode is { } status) return new IdempotentAnswer(status, existing.ResponseJson ?? "null");
                }
            }
            if (DateTime.UtcNow > deadline)
                throw new DomainException(ErrorCodes.PaymentInProgress, localizer["Error.payment_in_progress"]);
            await Task.Delay(50, ct);
        }
    }

    public async Task CompleteAsync(Guid userId, string scope, string key, int statusCode, string json, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.IdempotencyRecords.Where(r => r.UserId == userId && r.Scope == scope && r.Key == key)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.StatusCode, statusCode).SetProperty(r => r.ResponseJson, json), ct);
    }

    public async Task AbandonAsync(Guid userId, string scope, string key)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        await db.IdempotencyRecords.Where(r => r.UserId == userId && r.Scope == scope && r.Key == key && r.StatusCode == null)
            .ExecuteDeleteAsync();
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
}
