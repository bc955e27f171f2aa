using System.Net.Mail;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;
using Ticketing.Core.Accounts;
using Ticketing.Core.Common;
using Ticketing.Core.Events;
using Ticketing.Core.Notifications;
using Ticketing.Core.Persistence;

namespace Ticketing.Core.Tickets;

/// <summary>
/// A holder passes a ticket on. One transaction: the old ticket Valid -> Voided by ONE conditional update (so of any
/// number of parallel transfers of the same ticket exactly one re-issues it; the unique index on
/// <see cref="Ticket.TransferredFromId"/> stands behind it), a new ticket (new id, hence a new signed code, and a new
/// number from the performance's counter) for the recipient, and the recipient's mail with the PDF in the outbox.
/// Scanned, voided (refunded, transferred) tickets and events whose rule forbids it are refused.
/// </summary>
public sealed class TicketTransferService(
    IDbContextFactory<TicketingDbContext> dbFactory,
    IStringLocalizer<SharedResource> localizer,
    TimeProvider clock,
    ILogger<TicketTransferService> logger)
{
    public const int MaxTransfersLimit = 100;

    public async Task<TicketTransferDto> TransferAsync(Guid ticketId, Guid userId, TransferTicketRequest? request, CancellationToken ct = default)
    {
        var (email, name) = Validate(request);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var holder = await TicketHolder.LoadAsync(db, userId, ct);
        var ticket = await db.Tickets.AsNoTracking().FirstOrDefaultAsync(t => t.Id == ticketId, ct);
        if (ticket is null || !holder.Holds(ticket)) throw new NotFoundException(localizer["Error.not_found"]);
        var normalized = TicketHolder.Normalize(email);
        if (normalized == holder.NormalizedEmail || ticket.HolderEmail == normalized)
            throw new RequestValidationException(new Validator(localizer).Add("email", "Validation.TransferToSelf").Errors);
        Refuse(ticket);
        var ev = await db.Events.AsNoTracking().FirstAsync(e => e.Id == ticket.EventId, ct);
        if (!ev.Transferable || ev.Status == EventStatus.Cancelled)
            throw new DomainException(ErrorCodes.TicketNotTransferable, localizer["Error.ticket_not_transferable"]);
        if (ev.MaxTransfersPerTicket is { } max && ticket.TransferCount >= max)
            throw new DomainException(ErrorCodes.TransferLimitReached, localizer["Error.transfer_limit_reached"],
                new Dictionary<string, object?> { ["maxTransfers"] = max });

        var recipient = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.NormalizedEmail == normalized && u.DeletedAt == null, ct);
        var holderName = name ?? (recipient?.DisplayName is { Length: > 0 } n ? n : email.Split('@')[0]);
        var prefix = await db.Performances.Where(p => p.Id == ticket.PerformanceId).Select(p => p.TicketPrefix).FirstAsync(ct);
        var now = clock.GetUtcNow();
        var issued = new Ticket
        {
            Id = Guid.CreateVersion7(), OrderId = ticket.OrderId, UserId = recipient?.Id ?? Guid.Empty, EventId = ticket.EventId,
            PerformanceId = ticket.PerformanceId, CategoryId = ticket.CategoryId, CategoryName = ticket.CategoryName, HolderName = holderName,
            PriceMinor = ticket.PriceMinor, Currency = ticket.Currency, Status = TicketStatus.Valid, IssuedAt = now,
            HolderEmail = normalized, TransferCount = ticket.TransferCount + 1, TransferredFromId = ticket.Id,
            SeatId = ticket.SeatId, SeatSection = ticket.SeatSection, SeatRow = ticket.SeatRow, SeatLabel = ticket.SeatLabel,
        };

        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            // The claim: only a Valid ticket is voided, once. A parallel transfer, scan or refund that came first leaves 0 rows.
            var claimed = await db.Tickets.Where(t => t.Id == ticket.Id && t.Status == TicketStatus.Valid && t.TransferredToId == null)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, TicketStatus.Voided).SetProperty(t => t.VoidedAt, now)
                    .SetProperty(t => t.TransferredToId, issued.Id), ct);
            if (claimed == 0)
            {
                await tx.RollbackAsync(ct);
                Refuse(await db.Tickets.AsNoTracking().FirstAsync(t => t.Id == ticket.Id, ct));
                throw new DomainException(ErrorCodes.TicketVoided, localizer["Error.ticket_voided"]);
            }
            var last = (await db.Database.SqlQuery<int>(
                    $"UPDATE \"Performances\" SET \"LastTicketNumber\" = \"LastTicketNumber\" + 1 WHERE \"Id\" = {ticket.PerformanceId} RETURNING \"LastTicketNumber\" AS \"Value\"")
                .ToListAsync(ct)).Single();
            issued.Sequence = last;
            issued.Number = $"{prefix}-{last:D6}";
            db.Tickets.Add(issued);
            var mailTo = new AppUser
            {
                Id = recipient?.Id ?? Guid.Empty, Email = email, DisplayName = holderName, NotificationChannel = NotificationChannel.Email,
                // Their language if we know it (an account), else the sender's.
                PreferredLanguage = recipient?.PreferredLanguage is { } lang && Languages.IsSupported(lang) ? lang
                    : System.Globalization.CultureInfo.CurrentUICulture.TwoLetterISOLanguageName,
            };
            Outbox.EnqueueTicketMail(db, issued, mailTo, NotificationKind.TicketTransferred, now);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        logger.LogInformation("Ticket {TicketId} transferred: voided, re-issued as {NewTicketId} (transfer {TransferCount})",
            ticket.Id, issued.Id, issued.TransferCount);
        return new TicketTransferDto(ticket.Id, nameof(TicketStatus.Voided), issued.Id, issued.Number, holderName, issued.TransferCount);
    }

    public async Task<TransferRuleDto> GetRuleAsync(Guid eventId, Actor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ev = await EventAccess.GetManageableAsync(db, eventId, actor, ct);
        return new TransferRuleDto(ev.Transferable, ev.MaxTransfersPerTicket);
    }

    public async Task<TransferRuleDto> SetRuleAsync(Guid eventId, Actor actor, TransferRuleDto? rule, CancellationToken ct = default)
    {
        var v = new Validator(localizer);
        if (rule is null) throw new RequestValidationException(v.Add("body", "Validation.Required").Errors);
        v.Require(rule.MaxTransfersPerTicket is null or (>= 1 and <= MaxTransfersLimit), "maxTransfersPerTicket", "Validation.MaxTransfers", MaxTransfersLimit);
        v.ThrowIfInvalid();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ev = await EventAccess.GetManageableAsync(db, eventId, actor, ct);
        ev.Transferable = rule.Transferable;
        ev.MaxTransfersPerTicket = rule.MaxTransfersPerTicket;
        ev.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Event {EventId} transfer rule: transferable {Transferable}, at most {MaxTransfers}", eventId, rule.Transferable, rule.MaxTransfersPerTicket);
        return new TransferRuleDto(ev.Transferable, ev.MaxTransfersPerTicket);
    }

    private void Refuse(Ticket ticket)
    {
        if (ticket.Status == TicketStatus.Used) throw new DomainException(ErrorCodes.TicketUsed, localizer["Transfer.Used"]);
        if (ticket.Status == TicketStatus.Voided) throw new DomainException(ErrorCodes.TicketVoided, localizer["Error.ticket_voided"]);
    }

    private (string Email, string? Name) Validate(TransferTicketRequest? request)
    {
        var v = new Validator(localizer);
        if (request is null) throw new RequestValidationException(v.Add("body", "Validation.Required").Errors);
        var email = request.Email?.Trim();
        if (string.IsNullOrEmpty(email)) v.Add("email", "Validation.Required");
        else if (!IsEmail(email)) v.Add("email", "Validation.Email");
        var name = v.Text("displayName", request.DisplayName, 200);
        v.ThrowIfInvalid();
        return (email!, string.IsNullOrWhiteSpace(name) ? null : name.Trim());
    }

    /// <summary>One address, as a mail server would take it (the rule of the box-office buyer's address).</summary>
    public static bool IsEmail(string email) =>
        email.Length <= 256 && UserText.Check(email) == TextProblem.None && MailAddress.TryCreate(email, out var parsed)
        && parsed.Address == email && email.Contains('.');
}
