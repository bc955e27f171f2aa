using Microsoft.EntityFrameworkCore;
using Ticketing.Core.Persistence;

namespace Ticketing.Core.Accounts;

/// <summary><c>GET /api/me/export</c>: everything held about the account (GDPR access right), as one JSON document.</summary>
public sealed record AccountExport(DateTimeOffset ExportedAt, Profile Profile, DateTimeOffset CreatedAt, IReadOnlyList<ExportedOrder> Orders,
    IReadOnlyList<ExportedTicket> Tickets, IReadOnlyList<ExportedNotification> Notifications, IReadOnlyList<ExportedSignIn> SignIns);

public sealed record ExportedOrder(Guid Id, Guid EventId, Guid PerformanceId, string Status, long TotalMinor, string Currency, string BuyerName,
    DateTimeOffset CreatedAt, DateTimeOffset? PaidAt, IReadOnlyList<ExportedOrderLine> Items);

public sealed record ExportedOrderLine(string CategoryName, int Quantity, long UnitPriceMinor, long UnitFeeMinor,
    string? SeatSection = null, string? SeatRow = null, string? SeatLabel = null);

public sealed record ExportedTicket(Guid Id, Guid OrderId, string Number, string CategoryName, string HolderName, long PriceMinor, string Currency,
    string Status, DateTimeOffset IssuedAt, DateTimeOffset? UsedAt, DateTimeOffset? VoidedAt,
    string? SeatSection = null, string? SeatRow = null, string? SeatLabel = null);

public sealed record ExportedNotification(Guid Id, string Kind, string Channel, string Recipient, string Status, DateTimeOffset CreatedAt, DateTimeOffset? SentAt);

/// <summary>One sign-in (a refresh token family): when it started, when it was last refreshed, when it ended.</summary>
public sealed record ExportedSignIn(DateTimeOffset SignedInAt, DateTimeOffset LastActiveAt, DateTimeOffset? EndedAt);

public sealed class AccountExportService(AccountService accounts, IDbContextFactory<TicketingDbContext> dbFactory, TimeProvider clock)
{
    public async Task<AccountExport> ExportAsync(Guid userId, CancellationToken ct = default)
    {
        var profile = await accounts.GetProfileAsync(userId); // 404 for a deleted account
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var createdAt = await db.Users.Where(u => u.Id == userId).Select(u => u.CreatedAt).FirstAsync(ct);
        // The guest orders of the account's confirmed address are the account's (claimed): their orders, tickets and mails too.
        var owners = (await Tickets.TicketHolder.LoadAsync(db, userId, ct)).GuestId is { } guest ? new[] { userId, guest } : [userId];
        var orders = await db.Orders.AsNoTracking().Include(o => o.Items).Where(o => owners.Contains(o.UserId)).ToListAsync(ct);
        var tickets = await db.Tickets.AsNoTracking().Where(t => owners.Contains(t.UserId)).ToListAsync(ct);
        var notifications = await db.Notifications.AsNoTracking().Where(n => owners.Contains(n.UserId)).ToListAsync(ct);
        var tokens = await db.RefreshTokens.AsNoTracking().Where(t => t.UserId == userId)
            .Select(t => new { t.FamilyId, t.CreatedAt, t.SpentAt, t.RevokedAt, t.ExpiresAt }).ToListAsync(ct);
        var now = clock.GetUtcNow();
        return new AccountExport(now, profile, createdAt,
            orders.OrderBy(o => o.CreatedAt).Select(o => new ExportedOrder(o.Id, o.EventId, o.PerformanceId, o.Status.ToString(), o.TotalMinor,
                o.Currency, o.BuyerName, o.CreatedAt, o.PaidAt,
                o.Items.Select(i => new ExportedOrderLine(i.CategoryName, i.Quantity, i.UnitPriceMinor, i.UnitFeeMinor,
                    i.SeatSection, i.SeatRow, i.SeatLabel)).ToList())).ToList(),
            tickets.OrderBy(t => t.IssuedAt).ThenBy(t => t.Sequence).Select(t => new ExportedTicket(t.Id, t.OrderId, t.Number, t.CategoryName,
                t.HolderName, t.PriceMinor, t.Currency, t.Status.ToString(), t.IssuedAt, t.UsedAt, t.VoidedAt,
                t.SeatSection, t.SeatRow, t.SeatLabel)).ToList(),
            notifications.OrderBy(n => n.CreatedAt).Select(n => new ExportedNotification(n.Id, n.Kind.ToString(), n.Channel.ToString(), n.Recipient,
                n.Status.ToString(), n.CreatedAt, n.SentAt)).ToList(),
            tokens.GroupBy(t => t.FamilyId).Select(f => new ExportedSignIn(f.Min(t => t.CreatedAt), f.Max(t => t.CreatedAt),
                    f.Any(t => t.RevokedAt is null && t.SpentAt is null && t.ExpiresAt > now) ? null : f.Max(t => t.RevokedAt ?? t.SpentAt ?? t.ExpiresAt)))
                .OrderBy(s => s.SignedInAt).ToList());
    }
}
