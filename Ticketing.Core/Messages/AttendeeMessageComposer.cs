using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using MimeKit;
using Ticketing.Core.Common;
using Ticketing.Core.Events;
using Ticketing.Core.Notifications;
using Ticketing.Core.Persistence;

namespace Ticketing.Core.Messages;

/// <summary>
/// The mail (HTML + text) or text message of an organizer's message or a reschedule notice, in the recipient's language
/// (falling back to the other language when the organizer wrote only one). Every user text in the HTML goes through
/// <see cref="HtmlText.Encode"/>.
/// </summary>
public sealed class AttendeeMessageComposer(
    IStringLocalizer<SharedResource> localizer,
    IOptions<PublicSiteOptions> site,
    IOptions<SmtpOptions> smtp,
    Guests.GuestAccess guests,
    TimeProvider clock)
{
    /// <summary>The most guest orders a reschedule notice links (one address buying more than this for one date is not a fan).</summary>
    private const int MaxGuestOrderLinks = 10;

    private const string Dark = "#1B1F2A", Accent = "#C2410C", Ink = "#212529", Muted = "#5F6770", Rule = "#E4E7EB", Tint = "#FFF4E6";

    /// <summary>The language a reader of <paramref name="language"/> gets: theirs when written, else the other one.</summary>
    public static string LanguageFor(AttendeeMessage m, string language)
    {
        if (m.Kind == AttendeeMessageKind.Reschedule) return language == "fr" ? "fr" : "en";
        var hasFr = m.SubjectFr.Length > 0 && m.BodyFr.Length > 0;
        var hasEn = m.SubjectEn.Length > 0 && m.BodyEn.Length > 0;
        return language == "fr" ? (hasFr ? "fr" : "en") : (hasEn ? "en" : "fr");
    }

    /// <param name="reader">
    /// Who reads a reschedule notice, for its button and refund line: an account (My orders), a guest buyer (the signed link
    /// of each of its guest orders for this date: <paramref name="guestOrders"/>), or a holder without account nor order of
    /// their own (a comp, a transfer: My tickets, and no refund line, since only the buyer can ask for one).
    /// </param>
    public RenderedMessage Render(AttendeeMessage m, Event ev, Performance p, string language, string? name = null,
        RescheduleReader reader = RescheduleReader.Account, IReadOnlyList<GuestOrderLink>? guestOrders = null)
    {
        if (reader == RescheduleReader.Guest && guestOrders is not { Count: > 0 }) reader = RescheduleReader.Holder;
        var lang = LanguageFor(m, language);
        var culture = CultureScope.For(lang);
        return CultureScope.Run(culture, () =>
        {
            var when = VenueTime.Long(p.StartsAt, p.TimeZoneId, culture);
            var venue = string.Join(", ", new[] { p.VenueName, p.Address, p.City }.Where(x => !string.IsNullOrWhiteSpace(x)));
            string subject, body;
            string? button = null;
            if (m.Kind == AttendeeMessageKind.Reschedule)
            {
                var before = m.PreviousStartsAt is { } at ? VenueTime.Long(at, p.TimeZoneId, culture) : "";
                subject = localizer["Mail.Rescheduled.Subject", ev.Title];
                body = localizer["Mail.Rescheduled.Intro", ev.Title, before, when, venue].Value;
                if (m.RefundUntil is { } until && reader != RescheduleReader.Holder)
                    body += "\n\n" + localizer[reader != RescheduleReader.Guest ? "Mail.Rescheduled.Refund"
                        : guestOrders!.Count == 1 ? "Mail.Rescheduled.RefundGuest" : "Mail.Rescheduled.RefundGuestOrders",
                        VenueTime.Long(until, p.TimeZoneId, culture)].Value;
                button = localizer[reader switch
                {
                    RescheduleReader.Guest => "Mail.GuestViewOrder",
                    RescheduleReader.Holder => "Mail.ViewTickets",
                    _ => "Mail.ViewOrders",
                }];
            }
            else
            {
                subject = lang == "fr" ? m.SubjectFr : m.SubjectEn;
                body = lang == "fr" ? m.BodyFr : m.BodyEn;
            }
            var greeting = string.IsNullOrWhiteSpace(name) ? localizer["Mail.GreetingAnonymous"].Value : localizer["Mail.Greeting", name].Value;
            var footer = localizer["Mail.Message.Footer", ev.Title].Value;
            // The button(s): a guest who bought several times for this date gets one per order ("See order …"), each
            // order's page being where its refund is asked.
            List<(string Text, string Url)> actions = button is null ? [] : reader switch
            {
                RescheduleReader.Guest when guestOrders!.Count == 1 => [(button, guestOrders[0].Url)],
                RescheduleReader.Guest => guestOrders!.Select(g => (localizer["Mail.GuestViewOrderRef", g.Reference].Value, g.Url)).ToList(),
                RescheduleReader.Holder => [(button, site.Value.Link("/account/tickets"))],
                _ => [(button, site.Value.Link("/account/orders"))],
            };
            var labelEvent = localizer["Mail.Event"].Value;
            var labelDate = localizer["Mail.Date"].Value;
            var labelVenue = localizer["Mail.Venue"].Value;

            var text = new StringBuilder()
                .AppendLine(greeting).AppendLine().AppendLine(body).AppendLine()
                .AppendLine(localizer["Text.LabelValue", labelEvent, ev.Title])
                .AppendLine(localizer["Text.LabelValue", labelDate, when])
                .AppendLine(localizer["Text.LabelValue", labelVenue, venue]);
            if (actions.Count > 0) text.AppendLine();
            foreach (var (label, url) in actions) text.AppendLine(localizer["Text.LabelValue", label, url]);
            text.AppendLine().AppendLine("-- ").AppendLine(footer);

            // Paragraphs and line breaks of the organizer's text are kept; the text itself is encoded.
            var paragraphs = string.Concat(body.Replace("\r\n", "\n").Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(par =>
                $"""<p style="margin:0 0 16px 0;font-size:16px;line-height:1.5;">{string.Join("<br>", par.Split('\n').Select(E))}</p>"""));
            var action = string.Concat(actions.Select(a =>
                $"""<p style="margin:8px 0 0 0;"><a href="{E(a.Url)}" style="display:inline-block;background:{Accent};color:#FFFFFF;text-decoration:none;font-weight:700;font-size:16px;padding:14px 26px;border-radius:8px;">{E(a.Text)}</a></p>"""));
            var html = $"""
                <!DOCTYPE html>
                <html lang="{lang}">
                <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{E(subject)}</title></head>
                <body style="margin:0;padding:0;background:#F3F4F6;font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;color:{Ink};">
                <table role="presentation" width="100%" cellspacing="0" cellpadding="0" style="background:#F3F4F6;"><tr><td align="center" style="padding:24px 12px;">
                <table role="presentation" width="100%" cellspacing="0" cellpadding="0" style="max-width:600px;background:#FFFFFF;border-radius:12px;overflow:hidden;">
                <tr><td style="background:{Dark};padding:20px 28px;"><span style="color:#FFFFFF;font-size:18px;font-weight:700;">Ticketing</span></td></tr>
                <tr><td style="height:5px;background:{Accent};line-height:5px;font-size:0;">&nbsp;</td></tr>
                <tr><td style="padding:28px;">
                  <h1 style="margin:0 0 16px 0;font-size:24px;line-height:1.25;">{E(subject)}</h1>
                  <p style="margin:0 0 16px 0;font-size:16px;line-height:1.5;">{E(greeting)}</p>
                  {paragraphs}
                  <table role="presentation" width="100%" cellspacing="0" cellpadding="0" style="background:{Tint};border-left:4px solid {Accent};border-radius:6px;margin:8px 0 16px 0;">
                  <tr><td style="padding:16px 20px;">
                    <div style="font-size:18px;font-weight:700;">{E(ev.Title)}</div>
                    <div style="font-size:15px;margin-top:6px;">{E(when)}</div>
                    <div style="font-size:14px;color:{Muted};margin-top:4px;">{E(venue)}</div>
                  </td></tr></table>
                  {action}
                  <hr style="border:none;border-top:1px solid {Rule};margin:24px 0 16px 0;">
                  <p style="margin:0;font-size:12px;line-height:1.5;color:{Muted};">{E(footer)}</p>
                </td></tr>
                </table>
                </td></tr></table>
                </body>
                </html>
                """;
            return new RenderedMessage(lang, subject, text.ToString(), html);
        });
    }

    /// <summary>The mail of one outbox row (its order id is the recipient's id).</summary>
    public async Task<MimeMessage> ComposeEmailAsync(TicketingDbContext db, Notification n, CancellationToken ct)
    {
        var (message, recipient, ev, performance) = await LoadAsync(db, n, ct);
        var (reader, guestOrders) = message.Kind == AttendeeMessageKind.Reschedule
            ? await ReaderOfAsync(db, message, recipient, ct) : (RescheduleReader.Account, []);
        var rendered = Render(message, ev, performance, n.Language, recipient.Name, reader, guestOrders);
        var mail = new MimeMessage();
        mail.From.Add(MailboxAddress.Parse(smtp.Value.From));
        if (!MailboxAddress.TryParse(n.Recipient, out var to) || string.IsNullOrEmpty(to.Domain) || !to.Domain.Contains('.'))
            throw new PermanentDeliveryException("Invalid recipient email address.");
        if (!string.IsNullOrWhiteSpace(recipient.Name)) to.Name = recipient.Name;
        mail.To.Add(to);
        mail.Subject = rendered.Subject;
        mail.Date = clock.GetUtcNow();
        mail.MessageId = n.MessageId.Trim('<', '>');
        mail.Headers.Add("X-Ticketing-Notification", n.Id.ToString());
        mail.Headers.Add(HeaderId.ContentLanguage, rendered.Language);
        mail.Body = new BodyBuilder { HtmlBody = rendered.Html, TextBody = rendered.Text }.ToMessageBody();
        return mail;
    }

    /// <summary>The text message of a reschedule notice (plain spaces: French no-break spaces are outside the GSM alphabet).</summary>
    public async Task<string> ComposeSmsAsync(TicketingDbContext db, Notification n, CancellationToken ct)
    {
        var (message, _, ev, p) = await LoadAsync(db, n, ct);
        var culture = CultureScope.For(n.Language == "fr" ? "fr" : "en");
        return CultureScope.Run(culture, () =>
        {
            var when = VenueTime.Short(p.StartsAt, p.TimeZoneId, culture);
            var until = message.RefundUntil is { } u ? VenueTime.Short(u, p.TimeZoneId, culture) : "-";
            var text = message.Kind == AttendeeMessageKind.Reschedule
                ? localizer["Sms.Rescheduled", ev.Title, when, p.VenueName, until, site.Value.Link("/account/orders")].Value
                : LanguageFor(message, n.Language) == "fr" ? message.SubjectFr : message.SubjectEn;
            return text.Replace('\u202F', ' ').Replace('\u00A0', ' ');
        });
    }

    /// <summary>
    /// An account's recipient reads My orders. Without an account: the buyer of guest orders of this performance (by its
    /// address) gets the signed link of each of them (oldest first; a handful at most, since each is capped); anyone else
    /// (a comp, a ticket passed on) My tickets, which the address finds once an account is made with it.
    /// </summary>
    private async Task<(RescheduleReader, IReadOnlyList<GuestOrderLink>)> ReaderOfAsync(TicketingDbContext db, AttendeeMessage message,
        AttendeeMessageRecipient recipient, CancellationToken ct)
    {
        if (recipient.UserId != Guid.Empty) return (RescheduleReader.Account, []);
        var orderIds = await (from g in db.Set<Guests.GuestBuyer>().AsNoTracking()
                             join o in db.Orders on g.OrderId equals o.Id
                             where g.NormalizedEmail == recipient.NormalizedEmail
                                   && (o.Status == Orders.OrderStatus.Paid || o.Status == Orders.OrderStatus.PartiallyRefunded)
                                   && db.Tickets.Any(t => t.OrderId == o.Id && t.PerformanceId == message.PerformanceId
                                                          && t.UserId == o.UserId && t.Status != Tickets.TicketStatus.Voided)
                             orderby o.Id
                             select o.Id).Take(MaxGuestOrderLinks).ToListAsync(ct);
        var links = new List<GuestOrderLink>();
        foreach (var id in orderIds)
            if (await guests.PageUrlAsync(id, ct) is { } url) links.Add(new GuestOrderLink(Notifications.OrderReference.For(id), url));
        return links.Count > 0 ? (RescheduleReader.Guest, links) : (RescheduleReader.Holder, []);
    }

    private static async Task<(AttendeeMessage, AttendeeMessageRecipient, Event, Performance)> LoadAsync(TicketingDbContext db, Notification n, CancellationToken ct)
    {
        var recipient = await db.AttendeeMessageRecipients.AsNoTracking().FirstOrDefaultAsync(r => r.Id == n.OrderId, ct)
                        ?? throw new PermanentDeliveryException("The message's recipient no longer exists.");
        var message = await db.AttendeeMessages.AsNoTracking().FirstAsync(m => m.Id == recipient.MessageId, ct);
        var ev = await db.Events.AsNoTracking().FirstAsync(e => e.Id == message.EventId, ct);
        var performance = await db.Performances.AsNoTracking().FirstAsync(p => p.Id == message.PerformanceId, ct);
        return (message, recipient, ev, performance);
    }

    private static string E(string? s) => HtmlText.Encode(s);
}

/// <summary>A guest order's signed page, as a reschedule notice links it: its reference and its URL.</summary>
public sealed record GuestOrderLink(string Reference, string Url);

/// <summary>Who reads a reschedule notice (<see cref="AttendeeMessageComposer.Render"/>): where its button leads.</summary>
public enum RescheduleReader
{
    Account,
    Guest,
    Holder,
}
