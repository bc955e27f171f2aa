using Microsoft.EntityFrameworkCore;
using Ticketing.Core.Accounts;
using Ticketing.Core.Persistence;

namespace Ticketing.Core.Notifications;

public interface ISmsGateway
{
    /// <summary>Sends a text or throws: <see cref="PermanentDeliveryException"/> for a number that can never be reached.</summary>
    Task SendAsync(string to, string body, Guid notificationId, CancellationToken ct);
}

/// <summary>
/// Offline SMS gateway (<c>Sms:Provider=Simulated</c>): every text is recorded as an <see cref="SmsMessage"/> with its
/// status and shown to Admins on the Messages page. Numbers must be E.164.
/// </summary>
public sealed class SimulatedSmsGateway(IDbContextFactory<TicketingDbContext> dbFactory, TimeProvider clock) : ISmsGateway
{
    public const string Delivered = "Delivered";
    public const string Rejected = "Rejected";

    public async Task SendAsync(string to, string body, Guid notificationId, CancellationToken ct)
    {
        var valid = Ticketing.Core.Accounts.PhoneNumbers.IsE164(to);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.SmsMessages.Add(new SmsMessage
        {
            Id = Guid.CreateVersion7(), NotificationId = notificationId, To = to.Length > 32 ? to[..32] : to,
            Body = body.Length > 1000 ? body[..1000] : body, Status = valid ? Delivered : Rejected, CreatedAt = clock.GetUtcNow(),
        });
        await db.SaveChangesAsync(ct);
        if (!valid) throw new PermanentDeliveryException("Invalid phone number (E.164 expected, e.g. +33612345678).");
    }
}
