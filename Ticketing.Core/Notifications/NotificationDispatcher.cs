using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ticketing.Core.Accounts;
using Ticketing.Core.Orders;
using Ticketing.Core.Persistence;

namespace Ticketing.Core.Notifications;

public sealed record DispatchResult(int Sent, int Retrying, int Failed)
{
    public int Total => Sent + Retrying + Failed;
}

/// <summary>
/// Delivers the outbox. Safe with several instances: each row is claimed by one atomic conditional UPDATE
/// (Pending and due and not leased, or Sending with an expired lease -> Sending with a lease); one affected row means
/// this instance owns it. A crashed instance's lease expires and the row is picked up again.
/// <para>
/// Delivery is at-least-once: if the process dies after the SMTP server (or SMS gateway) accepted the message but
/// before the row is marked Sent, the lease expires and the message is sent again. The window is the time between the
/// server's "250 OK" and the commit of the Sent state (milliseconds). The resend carries the same Message-Id
/// (<see cref="Notification.MessageId"/>) and the .eml fallback overwrites the same file, so duplicates are recognisable.
/// </para>
/// </summary>
public sealed class NotificationDispatcher(
    IDbContextFactory<TicketingDbContext> dbFactory,
    NotificationComposer composer,
    IEmailSender email,
    ISmsGateway sms,
    IOptions<NotificationOptions> options,
    TimeProvider clock,
    SaleActivity sale,
    Messages.AttendeeMessageComposer messages,
    PasswordResetService passwordResets,
    EmailConfirmationService emailConfirmations,
    UserManager<AppUser> users,
    ILogger<NotificationDispatcher> logger)
{
    /// <summary>
    /// Batch after batch until nothing is due or <paramref name="budget"/> is spent (what the job runs): after a flash
    /// sale thousands of confirmations are due at once, and one batch per firing (25 every 10 s) would have left the
    /// last buyer of a 1,000-seat sale without a confirmation for ~7 minutes. While this instance is still selling,
    /// batches are <c>Notifications:PaceWhileSellingMilliseconds</c> apart.
    /// </summary>
    public async Task<DispatchResult> DispatchAllDueAsync(TimeSpan budget, CancellationToken ct = default)
    {
        var until = clock.GetUtcNow() + budget;
        var total = new DispatchResult(0, 0, 0);
        while (true)
        {
            var batch = await DispatchDueAsync(ct);
            total = new DispatchResult(total.Sent + batch.Sent, total.Retrying + batch.Retrying, total.Failed + batch.Failed);
            // A short batch means nothing more is due now (retries wait for their back-off, other rows for their time).
            if (batch.Total < options.Value.BatchSize || clock.GetUtcNow() >= until) return total;
            // An on-sale still selling here: its buyers get the CPU first, the confirmations keep coming at a pace.
            if (options.Value.PaceWhileSellingMilliseconds > 0 && sale.IsSelling)
                await Task.Delay(options.Value.PaceWhileSellingMilliseconds, ct);
        }
    }

    /// <summary>One batch (<c>Notifications:BatchSize</c>) of due rows.</summary>
    public async Task<DispatchResult> DispatchDueAsync(CancellationToken ct = default)
    {
        var o = options.Value;
        int sent = 0, retrying = 0, failed = 0;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var candidates = await Due(db.Notifications, now).OrderBy(n => n.NextAttemptAt).Select(n => n.Id).Take(o.BatchSize).ToListAsync(ct);

        foreach (var id in candidates)
        {
            ct.ThrowIfCancellationRequested();
            now = clock.GetUtcNow();
            var lease = now.AddSeconds(o.LeaseSeconds);
            var claimed = await Due(db.Notifications.Where(n => n.Id == id), now).ExecuteUpdateAsync(s => s
                .SetProperty(n => n.Status, NotificationStatus.Sending)
                .SetProperty(n => n.LockedUntil, lease)
                .SetProperty(n => n.Attempts, n => n.Attempts + 1), ct);
            if (claimed != 1) continue; // another instance got it

            var notification = await db.Notifications.AsNoTracking().SingleAsync(n => n.Id == id, ct);
            switch (await DeliverAsync(db, notification, o, ct))
            {
                case NotificationStatus.Sent: sent++; break;
                case NotificationStatus.Failed: failed++; break;
                default: retrying++; break;
            }
        }
        return new DispatchResult(sent, retrying, failed);
    }

    /// <summary>Due: pending and its time has come, or left "Sending" by an instance whose lease expired.</summary>
    private static IQueryable<Notification> Due(IQueryable<Notification> query, DateTimeOffset now) =>
        query.Where(n => (n.Status == NotificationStatus.Pending && n.NextAttemptAt <= now && (n.LockedUntil == null || n.LockedUntil < now))
                         || (n.Status == NotificationStatus.Sending && n.LockedUntil < now));

    private async Task<NotificationStatus> DeliverAsync(TicketingDbContext db, Notification n, NotificationOptions o, CancellationToken ct)
    {
        try
        {
            if (n.Attempts > o.MaxAttempts)
                throw new PermanentDeliveryException("Abandoned: the delivery was interrupted too many times.");
            if (n.Kind == NotificationKind.PasswordReset)
            {
                if (await passwordResets.PrepareMailAsync(n) is not { } reset)
                {
                    // No account has this address: nothing is sent, and the stranger's address is not kept.
                    await db.Notifications.Where(x => x.Id == n.Id).ExecuteDeleteAsync(CancellationToken.None);
                    logger.LogInformation("Password reset notification {NotificationId} dropped: no account has the address", n.Id);
                    return NotificationStatus.Sent;
                }
                // The row now says whose mail it is and in which language (for the Admins' message list).
                var language = Languages.IsSupported(reset.User.PreferredLanguage) ? reset.User.PreferredLanguage : "en";
                await db.Notifications.Where(x => x.Id == n.Id).ExecuteUpdateAsync(s => s
                    .SetProperty(x => x.UserId, reset.User.Id).SetProperty(x => x.Language, language), ct);
                using var resetMail = composer.ComposePasswordReset(n, reset.User, reset.Token);
                await email.SendAsync(resetMail, n.Id, ct);
                return await MarkSentAsync(db, n);
            }
            if (n.Kind is NotificationKind.EmailConfirmation or NotificationKind.EmailChange or NotificationKind.EmailChanged or NotificationKind.AccountErase)
            {
                using var accountMail = await ComposeAccountMailAsync(n);
                if (accountMail is null)
                {
                    // Nothing to send any more (account gone, address confirmed or changed since): the row goes.
                    await db.Notifications.Where(x => x.Id == n.Id).ExecuteDeleteAsync(CancellationToken.None);
                    logger.LogInformation("Account notification {NotificationId} dropped: no longer needed", n.Id);
                    return NotificationStatus.Sent;
                }
                await email.SendAsync(accountMail, n.Id, ct);
                return await MarkSentAsync(db, n);
            }
            if (n.Kind == NotificationKind.TicketTransferred)
            {
                var ticket = await db.Tickets.AsNoTracking().FirstOrDefaultAsync(t => t.Id == n.OrderId, ct)
                             ?? throw new PermanentDeliveryException("The ticket no longer exists.");
                var of = await OrderSnapshot.LoadAsync(db, ticket.OrderId, ct) ?? throw new PermanentDeliveryException("The order no longer exists.");
                using var ticketMail = await composer.ComposeTicketReceivedAsync(n, of, ticket, ct);
                await email.SendAsync(ticketMail, n.Id, ct);
                return await MarkSentAsync(db, n);
            }
            if (n.Kind is NotificationKind.AttendeeMessage or NotificationKind.PerformanceRescheduled)
            {
                if (n.Channel == NotificationChannel.Sms)
                    await sms.SendAsync(n.Recipient, await messages.ComposeSmsAsync(db, n, ct), n.Id, ct);
                else
                {
                    using var attendeeMail = await messages.ComposeEmailAsync(db, n, ct);
                    await email.SendAsync(attendeeMail, n.Id, ct);
                }
                return await MarkSentAsync(db, n);
            }
            // A partial refund's notification is about its credit note (an order may have several).
            var creditNote = n.Kind == NotificationKind.OrderPartiallyRefunded
                ? await db.Receipts.AsNoTracking().FirstOrDefaultAsync(r => r.Id == n.OrderId, ct)
                  ?? throw new PermanentDeliveryException("The credit note no longer exists.")
                : null;
            // Free tickets voided by a partial refund: the notification is about its first ticket (the others share its voiding time).
            var cancelled = n.Kind == NotificationKind.OrderTicketsCancelled
                ? await db.Tickets.AsNoTracking().FirstOrDefaultAsync(t => t.Id == n.OrderId, ct)
                  ?? throw new PermanentDeliveryException("The ticket no longer exists.")
                : null;
            var snapshot = await OrderSnapshot.LoadAsync(db, creditNote?.OrderId ?? cancelled?.OrderId ?? n.OrderId, ct)
                           ?? throw new PermanentDeliveryException("The order no longer exists.");
            if (n.Channel == NotificationChannel.Sms)
            {
                await sms.SendAsync(n.Recipient, composer.ComposeSms(n, snapshot, creditNote, cancelled), n.Id, ct);
            }
            else
            {
                var name = await db.Users.Where(u => u.Id == n.UserId).Select(u => u.DisplayName).FirstOrDefaultAsync(ct)
                           ?? snapshot.Order.BuyerName;
                using var message = await composer.ComposeEmailAsync(n, snapshot, name, ct, creditNote, cancelled);
                await email.SendAsync(message, n.Id, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Shutting down: give the row back at once (this attempt does not count).
            await db.Notifications.Where(x => x.Id == n.Id && x.Status == NotificationStatus.Sending).ExecuteUpdateAsync(s => s
                .SetProperty(x => x.Status, NotificationStatus.Pending)
                .SetProperty(x => x.LockedUntil, (DateTimeOffset?)null)
                .SetProperty(x => x.Attempts, x => x.Attempts - 1), CancellationToken.None);
            throw;
        }
        catch (Exception e)
        {
            var permanent = e is PermanentDeliveryException;
            var final = permanent || n.Attempts >= o.MaxAttempts;
            var now = clock.GetUtcNow();
            var next = final ? now : now + NotificationOptions.Backoff(n.Attempts);
            var error = Describe(e);
            var status = final ? NotificationStatus.Failed : NotificationStatus.Pending;
            await db.Notifications.Where(x => x.Id == n.Id && x.Status == NotificationStatus.Sending).ExecuteUpdateAsync(s => s
                .SetProperty(x => x.Status, status)
                .SetProperty(x => x.LockedUntil, (DateTimeOffset?)null)
                .SetProperty(x => x.NextAttemptAt, next)
                .SetProperty(x => x.LastError, error), CancellationToken.None);
            if (final)
                logger.LogError("Notification {NotificationId} ({Kind}, {Channel}) for order {OrderId} failed after {Attempts} attempt(s): {Error}",
                    n.Id, n.Kind, n.Channel, n.OrderId, n.Attempts, error);
            else
                logger.LogWarning("Notification {NotificationId} ({Kind}, {Channel}) for order {OrderId}: attempt {Attempts} failed, retry at {NextAttemptAt}: {Error}",
                    n.Id, n.Kind, n.Channel, n.OrderId, n.Attempts, next, error);
            return status;
        }

        return await MarkSentAsync(db, n);
    }

    /// <summary>The mail of an account notification, or null when it is no longer needed.</summary>
    private async Task<MimeKit.MimeMessage?> ComposeAccountMailAsync(Notification n)
    {
        if (n.Kind == NotificationKind.EmailConfirmation)
            return await emailConfirmations.PrepareMailAsync(n) is { } confirm ? composer.ComposeEmailConfirmation(n, confirm.User, confirm.Token) : null;
        var user = await users.FindByIdAsync(n.UserId.ToString());
        if (user is null || user.DeletedAt is not null) return null;
        if (n.Kind == NotificationKind.EmailChanged) return composer.ComposeEmailChanged(n, user);
        if (n.Kind == NotificationKind.AccountErase)
            return composer.ComposeAccountErase(n, user,
                await users.GenerateUserTokenAsync(user, Accounts.PasswordResetTokenProvider.ProviderName, Accounts.AccountSecurityService.EraseTokenPurpose));
        return composer.ComposeEmailChange(n, user, await users.GenerateChangeEmailTokenAsync(user, n.Recipient));
    }

    private async Task<NotificationStatus> MarkSentAsync(TicketingDbContext db, Notification n)
    {
        var sentAt = clock.GetUtcNow();
        await db.Notifications.Where(x => x.Id == n.Id && x.Status == NotificationStatus.Sending).ExecuteUpdateAsync(s => s
            .SetProperty(x => x.Status, NotificationStatus.Sent)
            .SetProperty(x => x.SentAt, sentAt)
            .SetProperty(x => x.LockedUntil, (DateTimeOffset?)null)
            .SetProperty(x => x.LastError, (string?)null), CancellationToken.None);
        logger.LogInformation("Notification {NotificationId} ({Kind}) for order {OrderId} sent by {Channel} on attempt {Attempts}",
            n.Id, n.Kind, n.OrderId, n.Channel, n.Attempts);
        return NotificationStatus.Sent;
    }

    /// <summary>The error kept on the row and shown to Admins: type and message only (no stack, no credentials).</summary>
    private static string Describe(Exception e)
    {
        var root = e is PermanentDeliveryException ? e : e.GetBaseException();
        var text = root switch
        {
            PermanentDeliveryException => root.Message,
            MailKit.Net.Smtp.SmtpCommandException smtp => $"SMTP {(int)smtp.StatusCode} ({smtp.ErrorCode}): {smtp.Message}",
            _ => $"{root.GetType().Name}: {root.Message}",
        };
        if (e.InnerException is { } inner && root is PermanentDeliveryException) text += $" ({inner.GetType().Name}: {inner.Message})";
        return text.Length > 1000 ? text[..1000] : text;
    }
}
