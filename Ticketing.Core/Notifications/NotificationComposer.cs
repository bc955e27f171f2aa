using System.Globalization;
using System.Text;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using MimeKit;
using Ticketing.Core.Common;
using Ticketing.Core.Tickets;

namespace Ticketing.Core.Notifications;

/// <summary>Builds the mail (HTML + text, e-tickets attached) or the text message of a notification, in the buyer's language.</summary>
public sealed class NotificationComposer(
    IStringLocalizer<SharedResource> localizer,
    ETicketDocuments documents,
    IOptions<PublicSiteOptions> site,
    IOptions<SmtpOptions> smtp,
    IOptions<Accounts.AuthOptions> auth,
    TimeProvider clock,
    Receipts.ReceiptDocuments receipts,
    Guests.GuestAccess guests)
{
    private readonly int resetTokenMinutes = auth.Value.ResetTokenMinutes;
    private readonly int emailTokenHours = auth.Value.EmailTokenHours;

    private const string Dark = "#1B1F2A";
    private const string Accent = "#C2410C";
    private const string Ink = "#212529";
    private const string Muted = "#5F6770";
    private const string Rule = "#E4E7EB";
    private const string Tint = "#FFF4E6";

    /// <param name="creditNote">For a partial refund (<see cref="NotificationKind.OrderPartiallyRefunded"/>): its credit note, whose
    /// amount the mail gives and whose tickets (voided at its time) it lists.</param>
    /// <param name="cancelled">For free tickets voided by a partial refund (<see cref="NotificationKind.OrderTicketsCancelled"/>): the
    /// first of them (the others share its voiding time).</param>
    public async Task<MimeMessage> ComposeEmailAsync(Notification n, OrderSnapshot s, string recipientName, CancellationToken ct,
        Receipts.Receipt? creditNote = null, Ticket? cancelled = null)
    {
        var culture = CultureScope.For(n.Language);
        var texts = CultureScope.Run(culture, () => Texts(n.Kind, s, recipientName, culture, creditNote, cancelled));
        // A guest order: the button opens the order's page by its signed link (the guest has no account to sign in to).
        if (Guests.GuestKey.Is(s.Order.UserId) && await guests.PageUrlAsync(s.Order.Id, ct) is { } guestUrl)
            texts = CultureScope.Run(culture, () => texts with
            {
                Url = guestUrl,
                ButtonText = localizer["Mail.GuestViewOrder"].Value,
                Labels = new Dictionary<string, string>(texts.Labels) { ["Mail.AccountHint"] = localizer["Mail.GuestHint"].Value },
            });

        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(smtp.Value.From));
        message.To.Add(ParseRecipient(n.Recipient, recipientName));
        message.Subject = texts.Subject;
        message.Date = clock.GetUtcNow();
        // Stable id: a resend of the same notification (after a crash between sending and recording) carries the same
        // Message-Id, so the receiving side and the buyer can recognise the duplicate.
        message.MessageId = n.MessageId.Trim('<', '>');
        message.Headers.Add("X-Ticketing-Notification", n.Id.ToString());
        message.Headers.Add(HeaderId.ContentLanguage, culture.TwoLetterISOLanguageName);

        var body = new BodyBuilder { HtmlBody = Html(texts, s, culture), TextBody = Text(texts, s, culture) };
        if (n.Kind == NotificationKind.OrderConfirmed)
        {
            var valid = s.Tickets.Where(t => t.Status != TicketStatus.Voided && t.TransferredFromId == null).ToList();
            if (valid.Count > 0)
            {
                var pdf = await documents.RenderAsync(s, valid, culture, ct);
                body.Attachments.Add($"{texts.AttachmentName}-{s.Reference}.pdf", pdf, new ContentType("application", "pdf"));
            }
            // The receipt (number and VAT breakdown), when the sale issued one.
            if (await receipts.ReceiptOfAsync(s, culture, ct) is { } receipt)
                body.Attachments.Add(receipt.FileName, receipt.Content, new ContentType("application", "pdf"));
        }
        message.Body = body.ToMessageBody();
        return message;
    }

    /// <summary>
    /// To the recipient of a transferred ticket: who sent it, the event, and the ticket's PDF (its new code). A voided
    /// ticket (transferred on again, refunded) before delivery is announced without a PDF.
    /// </summary>
    public async Task<MimeMessage> ComposeTicketReceivedAsync(Notification n, OrderSnapshot s, Ticket ticket, CancellationToken ct)
    {
        var culture = CultureScope.For(n.Language);
        var when = VenueTime.Long(s.Performance.StartsAt, s.Performance.TimeZoneId, culture);
        var message = ComposeAccountMail(n, n.Recipient, ticket.HolderName, culture.TwoLetterISOLanguageName, "Mail.Transfer",
            Link("/account/tickets"), s.Event.Title, when, s.Performance.VenueName,
            Seat(culture, ticket.SeatSection, ticket.SeatRow, ticket.SeatLabel) is { } seat ? $"{ticket.Number} ({seat})" : ticket.Number);
        if (ticket.Status == TicketStatus.Valid)
        {
            var pdf = await documents.RenderAsync(s, [ticket], culture, ct);
            var name = CultureScope.Run(culture, () => localizer["Mail.AttachmentName"].Value);
            var multipart = new Multipart("mixed") { message.Body! };
            multipart.Add(new MimePart("application", "pdf")
            {
                Content = new MimeContent(new MemoryStream(pdf)), ContentDisposition = new ContentDisposition(ContentDisposition.Attachment),
                ContentTransferEncoding = ContentEncoding.Base64, FileName = $"{name}-{ticket.Number}.pdf",
            });
            message.Body = multipart;
        }
        return message;
    }

    /// <summary>The password reset mail, in the account's language, with the single-use link to <c>/account/reset-password</c>.</summary>
    public MimeMessage ComposePasswordReset(Notification n, Accounts.AppUser user, string token) =>
        ComposeAccountMail(n, user.Email!, user.DisplayName, user.PreferredLanguage, "Mail.Reset",
            Link($"/account/reset-password?email={Uri.EscapeDataString(user.Email!)}&token={Uri.EscapeDataString(token)}"), resetTokenMinutes);

    /// <summary>The confirmation of the account's address (at registration, or sent again), with its link.</summary>
    public MimeMessage ComposeEmailConfirmation(Notification n, Accounts.AppUser user, string token) =>
        ComposeAccountMail(n, user.Email!, user.DisplayName, user.PreferredLanguage, "Mail.Confirm",
            Link($"/account/confirm-email?userId={user.Id}&token={Uri.EscapeDataString(token)}"), emailTokenHours);

    /// <summary>To the NEW address of an email change: the link that makes the change.</summary>
    public MimeMessage ComposeEmailChange(Notification n, Accounts.AppUser user, string token) =>
        ComposeAccountMail(n, n.Recipient, user.DisplayName, user.PreferredLanguage, "Mail.Change",
            Link($"/account/confirm-email?userId={user.Id}&email={Uri.EscapeDataString(n.Recipient)}&token={Uri.EscapeDataString(token)}"),
            emailTokenHours);

    /// <summary>The link that erases an account without a password (it asks once more before erasing).</summary>
    public MimeMessage ComposeAccountErase(Notification n, Accounts.AppUser user, string token) =>
        ComposeAccountMail(n, n.Recipient, user.DisplayName, user.PreferredLanguage, "Mail.Erase",
            Link($"/account/erase?userId={user.Id}&token={Uri.EscapeDataString(token)}"), resetTokenMinutes);

    /// <summary>To the OLD address once an email change is made: a notice, no link.</summary>
    public MimeMessage ComposeEmailChanged(Notification n, Accounts.AppUser user) =>
        ComposeAccountMail(n, n.Recipient, user.DisplayName, user.PreferredLanguage, "Mail.Changed", null);

    /// <summary>
    /// An account mail (no order): the keys <c>{prefix}.Subject</c>, <c>.Title</c>, <c>.Intro</c> (with
    /// <paramref name="introArgs"/>), <c>.Button</c> (when there is a link) and <c>.Ignore</c>, in the account's language.
    /// </summary>
    private MimeMessage ComposeAccountMail(Notification n, string to, string displayName, string language, string prefix, string? link,
        params object[] introArgs)
    {
        var culture = CultureScope.For(Accounts.Languages.IsSupported(language) ? language : "en");
        var (subject, title, greeting, intro, button, ignore) = CultureScope.Run(culture, () => (
            localizer[$"{prefix}.Subject"].Value, localizer[$"{prefix}.Title"].Value,
            string.IsNullOrWhiteSpace(displayName) ? localizer["Mail.GreetingAnonymous"].Value : localizer["Mail.Greeting", displayName].Value,
            localizer[$"{prefix}.Intro", introArgs].Value, link is null ? "" : localizer[$"{prefix}.Button"].Value,
            localizer[$"{prefix}.Ignore"].Value));

        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(smtp.Value.From));
        message.To.Add(ParseRecipient(to, displayName));
        message.Subject = subject;
        message.Date = clock.GetUtcNow();
        message.MessageId = n.MessageId.Trim('<', '>');
        message.Headers.Add("X-Ticketing-Notification", n.Id.ToString());
        message.Headers.Add(HeaderId.ContentLanguage, culture.TwoLetterISOLanguageName);
        var action = link is null ? "" : $"""
              <a href="{E(link)}" style="display:inline-block;background:{Accent};color:#FFFFFF;text-decoration:none;font-weight:700;font-size:16px;padding:14px 26px;border-radius:8px;">{E(button)}</a>
              <p style="margin:24px 0 0 0;font-size:14px;line-height:1.5;color:{Muted};word-break:break-all;">{E(link)}</p>
            """;
        var html = $"""
            <!DOCTYPE html>
            <html lang="{culture.TwoLetterISOLanguageName}">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{E(subject)}</title></head>
            <body style="margin:0;padding:0;background:#F3F4F6;font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;color:{Ink};">
            <table role="presentation" width="100%" cellspacing="0" cellpadding="0" style="background:#F3F4F6;"><tr><td align="center" style="padding:24px 12px;">
            <table role="presentation" width="100%" cellspacing="0" cellpadding="0" style="max-width:600px;background:#FFFFFF;border-radius:12px;overflow:hidden;">
            <tr><td style="background:{Dark};padding:20px 28px;"><span style="color:#FFFFFF;font-size:18px;font-weight:700;">Ticketing</span></td></tr>
            <tr><td style="height:5px;background:{Accent};line-height:5px;font-size:0;">&nbsp;</td></tr>
            <tr><td style="padding:28px;">
              <h1 style="margin:0 0 16px 0;font-size:24px;line-height:1.25;">{E(title)}</h1>
              <p style="margin:0 0 8px 0;font-size:16px;line-height:1.5;">{E(greeting)}</p>
              <p style="margin:0 0 24px 0;font-size:16px;line-height:1.5;">{E(intro)}</p>
            {action}
              <hr style="border:none;border-top:1px solid {Rule};margin:24px 0 16px 0;">
              <p style="margin:0;font-size:13px;line-height:1.5;color:{Muted};">{E(ignore)}</p>
            </td></tr>
            </table>
            </td></tr></table>
            </body>
            </html>
            """;
        var text = link is null
            ? $"{title}\n\n{greeting}\n\n{intro}\n\n-- \n{ignore}\n"
            : $"{title}\n\n{greeting}\n\n{intro}\n\n{LabelValue(culture, button, link)}\n\n-- \n{ignore}\n";
        message.Body = new BodyBuilder { HtmlBody = html, TextBody = text }.ToMessageBody();
        return message;
    }

    public string ComposeSms(Notification n, OrderSnapshot s, Receipts.Receipt? creditNote = null, Ticket? cancelled = null)
    {
        var culture = CultureScope.For(n.Language);
        return CultureScope.Run(culture, () =>
        {
            var reference = s.Reference;
            var count = s.Tickets.Count(t => t.Status != TicketStatus.Voided);
            var amount = Money.Format(creditNote?.TotalMinor ?? s.Order.TotalMinor, s.Order.Currency, culture);
            var when = VenueTime.Short(s.Performance.StartsAt, s.Performance.TimeZoneId, culture);
            // French typography's no-break spaces are outside the GSM 7-bit alphabet (one would make the text a 70-character
            // UCS-2 SMS): texts use plain spaces.
            string Build(string title) => GsmSpaces(n.Kind switch
            {
                NotificationKind.OrderConfirmed => localizer.Plural("Sms.Confirmed", count, reference, count, title, when, Link("/account/tickets")),
                NotificationKind.OrderRefunded => localizer["Sms.Refunded", reference, title, amount, Link("/account/orders")],
                NotificationKind.OrderPartiallyRefunded => localizer["Sms.PartiallyRefunded", reference, title, amount, Link("/account/tickets")],
                NotificationKind.OrderTicketsCancelled => localizer.Plural("Sms.TicketsCancelled", CancelledOf(s, cancelled).Count,
                    CancelledOf(s, cancelled).Count, reference, title, Link("/account/tickets")),
                NotificationKind.WaitlistOffer => localizer["Sms.WaitlistOffer", title, when, Link($"/checkout/{s.Order.Id}")],
                _ when s.Order.TotalMinor == 0 => localizer["Sms.CancelledFree", reference, title, Link("/account/orders")],
                _ => localizer["Sms.Cancelled", reference, title, amount, Link("/account/orders")],
            });
            // Keep to one 160-character SMS where possible: shorten the event title first.
            var text = Build(s.Event.Title);
            var over = text.Length - 160;
            if (over > 0 && s.Event.Title.Length > 12)
            {
                var keep = Math.Max(12, s.Event.Title.Length - over - 1);
                text = Build(s.Event.Title[..keep].TrimEnd() + "…");
            }
            return text;
        });
    }

    private MailboxAddress ParseRecipient(string address, string name)
    {
        if (!MailboxAddress.TryParse(address, out var mailbox) || string.IsNullOrEmpty(mailbox.Domain) || !mailbox.Domain.Contains('.'))
            throw new PermanentDeliveryException("Invalid recipient email address.");
        if (!string.IsNullOrWhiteSpace(name)) mailbox.Name = name;
        return mailbox;
    }

    /// <summary>"Label: value" in English, "Label\u202F: value" in French (the current UI culture).</summary>
    private static string GsmSpaces(string text) => text.Replace('\u202F', ' ').Replace('\u00A0', ' ');

    private string LabelValue(CultureInfo culture, string label, string value) =>
        CultureScope.Run(culture, () => localizer["Text.LabelValue", label, value].Value);

    private string Link(string path)
    {
        // Always absolute: App:PublicBaseUrl is validated at start (Development falls back to the app's own address).
        return site.Value.Link(path);
    }

    private sealed record MailTexts(string Subject, string Title, string Greeting, string Intro, string TotalLabel,
        string? ButtonText, string ButtonPath, string Footer, string AttachmentName, IReadOnlyDictionary<string, string> Labels)
    {
        /// <summary>An absolute link that replaces <see cref="ButtonPath"/>'s (a guest order's signed page).</summary>
        public string? Url { get; init; }
        /// <summary>A partial refund: the tickets it voided (listed instead of the order's lines) and the amount it gave back.</summary>
        public IReadOnlyList<Tickets.Ticket>? Refunded { get; init; }
        public long? AmountMinor { get; init; }
    }

    private MailTexts Texts(NotificationKind kind, OrderSnapshot s, string name, CultureInfo culture, Receipts.Receipt? creditNote = null,
        Ticket? cancelled = null)
    {
        var title = s.Event.Title;
        var labels = new[] { "Mail.Event", "Mail.Date", "Mail.Venue", "Mail.OrderRef", "Mail.Category", "Mail.Quantity", "Mail.Amount",
                "Mail.TicketNumbers", "Mail.AccountHint", "Mail.Total" }
            .ToDictionary(k => k, k => localizer[k].Value);
        var greeting = string.IsNullOrWhiteSpace(name) ? localizer["Mail.GreetingAnonymous"] : localizer["Mail.Greeting", name];
        var footer = localizer["Mail.Footer", s.Reference];
        return kind switch
        {
            NotificationKind.OrderConfirmed => new MailTexts(localizer["Mail.Confirmed.Subject", title], localizer["Mail.Confirmed.Title"],
                greeting, localizer["Mail.Confirmed.Intro"], localizer["Mail.Total"], localizer["Mail.ViewTickets"], "/account/tickets",
                footer, localizer["Mail.AttachmentName"], labels),
            NotificationKind.OrderRefunded => new MailTexts(localizer["Mail.Refunded.Subject", s.Reference], localizer["Mail.Refunded.Title"],
                greeting, localizer["Mail.Refunded.Intro", title], localizer["Mail.RefundTotal"], localizer["Mail.ViewOrders"], "/account/orders",
                footer, localizer["Mail.AttachmentName"], labels),
            NotificationKind.OrderPartiallyRefunded when creditNote is not null => PartialRefund(s, creditNote, greeting, footer, labels),
            NotificationKind.OrderTicketsCancelled when cancelled is not null => TicketsCancelled(s, cancelled, greeting, footer, labels),
            NotificationKind.WaitlistOffer => new MailTexts(localizer["Mail.WaitlistOffer.Subject", title], localizer["Mail.WaitlistOffer.Title"],
                greeting, localizer["Mail.WaitlistOffer.Intro", title], localizer["Mail.Total"], localizer["Mail.WaitlistOffer.Action"], $"/checkout/{s.Order.Id}",
                footer, localizer["Mail.AttachmentName"], labels),
            // A free order (a school gala, an open day): nothing was paid, so nothing is "refunded to the card".
            _ when s.Order.TotalMinor == 0 => new MailTexts(localizer["Mail.CancelledFree.Subject", title], localizer["Mail.Cancelled.Title"],
                greeting, localizer["Mail.CancelledFree.Intro", title], localizer["Mail.Total"], localizer["Mail.ViewOrders"], "/account/orders",
                footer, localizer["Mail.AttachmentName"], labels),
            _ => new MailTexts(localizer["Mail.Cancelled.Subject", title], localizer["Mail.Cancelled.Title"],
                greeting, localizer["Mail.Cancelled.Intro", title], localizer["Mail.RefundTotal"], localizer["Mail.ViewOrders"], "/account/orders",
                footer, localizer["Mail.AttachmentName"], labels),
        };
    }

    private MailTexts PartialRefund(OrderSnapshot s, Receipts.Receipt creditNote, string greeting, string footer, Dictionary<string, string> labels)
    {
        // The credit note is issued at the time its tickets were voided (RefundService): that is how they are found.
        var refunded = s.Tickets.Where(t => t.VoidedAt == creditNote.IssuedAt).ToList();
        return new MailTexts(localizer["Mail.PartialRefund.Subject", s.Reference], localizer["Mail.PartialRefund.Title"], greeting,
            localizer.Plural("Mail.PartialRefund.Intro", refunded.Count, refunded.Count, s.Event.Title), localizer["Mail.RefundTotal"],
            localizer["Mail.ViewOrders"], "/account/orders", footer, localizer["Mail.AttachmentName"], labels)
        {
            Refunded = refunded,
            AmountMinor = creditNote.TotalMinor,
        };
    }

    /// <summary>The tickets a refund that gave nothing back voided: those voided at the time of <paramref name="first"/>.</summary>
    private static List<Ticket> CancelledOf(OrderSnapshot s, Ticket? first) =>
        first is null ? [] : s.Tickets.Where(t => t.VoidedAt == first.VoidedAt && t.Status == TicketStatus.Voided).ToList();

    /// <summary>Free tickets voided by a partial refund: they are listed, the amount given back is 0, and no credit note exists.</summary>
    private MailTexts TicketsCancelled(OrderSnapshot s, Ticket first, string greeting, string footer, Dictionary<string, string> labels)
    {
        var voided = CancelledOf(s, first);
        return new MailTexts(localizer.Plural("Mail.TicketsCancelled.Subject", voided.Count, s.Reference), localizer.Plural("Mail.TicketsCancelled.Title", voided.Count),
            greeting, localizer.Plural("Mail.TicketsCancelled.Intro", voided.Count, voided.Count, s.Event.Title), localizer["Mail.RefundTotal"],
            localizer["Mail.ViewOrders"], "/account/orders", footer, localizer["Mail.AttachmentName"], labels)
        {
            Refunded = voided,
            AmountMinor = 0,
        };
    }

    // Every value placed in the mail's HTML, user-entered or not, goes through the one encoder.
    private static string E(string? s) => HtmlText.Encode(s);

    /// <summary>The seat line ("Section B · Row F · Seat 12" / "Porte B · Rang F · Siège 12") in the mail's language; null for general admission.</summary>
    private string? Seat(CultureInfo culture, string? section, string? row, string? label) =>
        label is null ? null : CultureScope.Run(culture, () => Seating.SeatText.Line(localizer, section, row, label));

    private static string SeatHtml(string? seat) =>
        seat is null ? "" : $"""<br><span style="font-size:14px;font-weight:600;">{E(seat)}</span>""";

    private static string SeatSuffix(string? seat) => seat is null ? "" : $" · {E(seat)}";

    private static string TextSuffix(string? seat) => seat is null ? "" : $" · {seat}";

    private string Html(MailTexts t, OrderSnapshot s, CultureInfo culture)
    {
        var p = s.Performance;
        var when = VenueTime.Long(p.StartsAt, p.TimeZoneId, culture);
        var venue = string.Join(", ", new[] { p.Address, p.City }.Where(x => !string.IsNullOrWhiteSpace(x)));
        var confirmed = s.Order.Status != Orders.OrderStatus.Refunded && s.Order.Status != Orders.OrderStatus.Cancelled
            && t.ButtonPath == "/account/tickets";
        var sb = new StringBuilder();
        sb.Append($"""
            <!DOCTYPE html>
            <html lang="{culture.TwoLetterISOLanguageName}">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{E(t.Subject)}</title></head>
            <body style="margin:0;padding:0;background:#F3F4F6;font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;color:{Ink};">
            <table role="presentation" width="100%" cellspacing="0" cellpadding="0" style="background:#F3F4F6;"><tr><td align="center" style="padding:24px 12px;">
            <table role="presentation" width="100%" cellspacing="0" cellpadding="0" style="max-width:600px;background:#FFFFFF;border-radius:12px;overflow:hidden;box-shadow:0 2px 8px rgba(0,0,0,0.06);">
            <tr><td style="background:{Dark};padding:20px 28px;">
              <span style="display:inline-block;width:14px;height:14px;background:{Accent};border-radius:3px;vertical-align:middle;"></span>
              <span style="color:#FFFFFF;font-size:18px;font-weight:700;vertical-align:middle;margin-left:8px;">Ticketing</span>
            </td></tr>
            <tr><td style="height:5px;background:{Accent};line-height:5px;font-size:0;">&nbsp;</td></tr>
            <tr><td style="padding:28px 28px 8px 28px;">
              <h1 style="margin:0 0 16px 0;font-size:24px;line-height:1.25;color:{Ink};">{E(t.Title)}</h1>
              <p style="margin:0 0 8px 0;font-size:16px;line-height:1.5;">{E(t.Greeting)}</p>
              <p style="margin:0 0 20px 0;font-size:16px;line-height:1.5;">{E(t.Intro)}</p>
            </td></tr>
            <tr><td style="padding:0 28px;">
              <table role="presentation" width="100%" cellspacing="0" cellpadding="0" style="background:{Tint};border-left:4px solid {Accent};border-radius:6px;">
              <tr><td style="padding:16px 20px;">
                <div style="font-size:20px;font-weight:700;line-height:1.3;margin-bottom:4px;">{E(s.Event.Title)}</div>
            """);
        if (!string.IsNullOrWhiteSpace(s.Event.Artist))
            sb.Append($"""<div style="font-size:15px;color:{Muted};margin-bottom:10px;">{E(s.Event.Artist)}</div>""");
        sb.Append($"""
                {Field(t.Labels["Mail.Date"], when)}
                {Field(t.Labels["Mail.Venue"], p.VenueName, venue)}
                {Field(t.Labels["Mail.OrderRef"], s.Reference)}
              </td></tr></table>
            </td></tr>
            <tr><td style="padding:20px 28px 0 28px;">
              <table role="presentation" width="100%" cellspacing="0" cellpadding="0" style="border-collapse:collapse;font-size:15px;">
              <tr>
                <th align="left" style="padding:8px 0;border-bottom:2px solid {Rule};color:{Muted};font-size:12px;text-transform:uppercase;letter-spacing:.04em;">{E(t.Labels["Mail.Category"])}</th>
                <th align="center" style="padding:8px 0;border-bottom:2px solid {Rule};color:{Muted};font-size:12px;text-transform:uppercase;letter-spacing:.04em;">{E(t.Labels["Mail.Quantity"])}</th>
                <th align="right" style="padding:8px 0;border-bottom:2px solid {Rule};color:{Muted};font-size:12px;text-transform:uppercase;letter-spacing:.04em;">{E(t.Labels["Mail.Amount"])}</th>
              </tr>
            """);
        foreach (var (name, seat, detail, quantity, amount) in Lines(t, s, culture))
        {
            sb.Append($"""
                  <tr>
                    <td style="padding:10px 0;border-bottom:1px solid {Rule};">{E(name)}{SeatHtml(seat)}<br><span style="color:{Muted};font-size:13px;">{E(detail)}</span></td>
                    <td align="center" style="padding:10px 0;border-bottom:1px solid {Rule};">{quantity?.ToString(culture)}</td>
                    <td align="right" style="padding:10px 0;border-bottom:1px solid {Rule};white-space:nowrap;">{E(amount)}</td>
                  </tr>
                """);
        }
        sb.Append($"""
              <tr>
                <td colspan="2" style="padding:12px 0;font-weight:700;">{E(t.TotalLabel)}</td>
                <td align="right" style="padding:12px 0;font-weight:700;font-size:17px;white-space:nowrap;">{E(Money.Format(t.AmountMinor ?? s.Order.TotalMinor, s.Order.Currency, culture))}</td>
              </tr>
              </table>
            </td></tr>
            """);
        if (confirmed && s.Tickets.Count > 0)
        {
            sb.Append($"""
                <tr><td style="padding:16px 28px 0 28px;">
                  <div style="color:{Muted};font-size:12px;text-transform:uppercase;letter-spacing:.04em;font-weight:700;margin-bottom:8px;">{E(t.Labels["Mail.TicketNumbers"])}</div>
                """);
            foreach (var ticket in s.Tickets)
            {
                sb.Append($"""<div style="font-family:'SFMono-Regular',Consolas,'Liberation Mono',monospace;font-size:15px;padding:6px 10px;margin:0 0 6px 0;background:#F8F9FA;border:1px solid {Rule};border-radius:6px;"><strong>{E(ticket.Number)}</strong> <span style="color:{Muted};font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;font-size:13px;">· {E(ticket.CategoryName)}{SeatSuffix(Seat(culture, ticket.SeatSection, ticket.SeatRow, ticket.SeatLabel))} · {E(ticket.HolderName)}</span></div>""");
            }
            sb.Append($"""<p style="margin:10px 0 0 0;font-size:14px;color:{Muted};">{E(t.Labels["Mail.AccountHint"])}</p></td></tr>""");
        }
        var link = t.Url ?? Link(t.ButtonPath);
        if (link.StartsWith("http", StringComparison.OrdinalIgnoreCase) && t.ButtonText is not null)
        {
            sb.Append($"""
                <tr><td align="left" style="padding:24px 28px 0 28px;">
                  <a href="{E(link)}" style="display:inline-block;background:{Accent};color:#FFFFFF;text-decoration:none;font-weight:700;font-size:16px;padding:14px 26px;border-radius:8px;">{E(t.ButtonText)}</a>
                </td></tr>
                """);
        }
        sb.Append($"""
            <tr><td style="padding:28px;">
              <hr style="border:none;border-top:1px solid {Rule};margin:0 0 16px 0;">
              <p style="margin:0;font-size:12px;line-height:1.5;color:{Muted};">{E(t.Footer)}</p>
            </td></tr>
            </table>
            </td></tr></table>
            </body>
            </html>
            """);
        return sb.ToString();

        static string Field(string label, string value, string? detail = null) =>
            $"""<div style="margin-top:8px;"><div style="color:{Accent};font-size:11px;font-weight:700;text-transform:uppercase;letter-spacing:.06em;">{E(label)}</div><div style="font-size:15px;font-weight:600;">{E(value)}</div>{(string.IsNullOrWhiteSpace(detail) ? "" : $"<div style=\"font-size:14px;color:{Muted};\">{E(detail)}</div>")}</div>""";
    }

    /// <summary>
    /// The lines of the mail's table: the order's (with its promo code's discount as a line of its own), or for a partial
    /// refund the tickets it voided, each at what was paid for it.
    /// </summary>
    private IEnumerable<(string Name, string? Seat, string Detail, int? Quantity, string Amount)> Lines(MailTexts t, OrderSnapshot s, CultureInfo culture)
    {
        string Money(long minor) => Common.Money.Format(minor, s.Order.Currency, culture);
        if (t.Refunded is { } refunded)
        {
            foreach (var ticket in refunded)
            {
                var item = s.Order.Items.FirstOrDefault(i => i.CategoryId == ticket.CategoryId);
                yield return (ticket.CategoryName, Seat(culture, ticket.SeatSection, ticket.SeatRow, ticket.SeatLabel), ticket.Number, 1, Money(ticket.PriceMinor + (item?.UnitFeeMinor ?? 0)));
            }
            yield break;
        }
        foreach (var item in s.Order.Items)
            yield return (item.CategoryName, Seat(culture, item.SeatSection, item.SeatRow, item.SeatLabel), Money(item.UnitPriceMinor), item.Quantity, Money(item.UnitPriceMinor * item.Quantity));
        if (s.Order.DiscountMinor > 0)
            yield return (CultureScope.Run(culture, () => localizer["Codes.Checkout.Discount", s.Order.PromoCode ?? ""].Value), null, "", null, Money(-s.Order.DiscountMinor));
    }

    private string Text(MailTexts t, OrderSnapshot s, CultureInfo culture)
    {
        var p = s.Performance;
        var sb = new StringBuilder();
        sb.AppendLine(t.Title).AppendLine();
        sb.AppendLine(t.Greeting).AppendLine();
        sb.AppendLine(t.Intro).AppendLine();
        sb.AppendLine(LabelValue(culture, t.Labels["Mail.Event"], s.Event.Title));
        sb.AppendLine(LabelValue(culture, t.Labels["Mail.Date"], VenueTime.Long(p.StartsAt, p.TimeZoneId, culture)));
        sb.AppendLine(LabelValue(culture, t.Labels["Mail.Venue"], string.Join(", ", new[] { p.VenueName, p.Address, p.City }.Where(x => !string.IsNullOrWhiteSpace(x)))));
        sb.AppendLine(LabelValue(culture, t.Labels["Mail.OrderRef"], s.Reference)).AppendLine();
        foreach (var (name, seat, detail, quantity, amount) in Lines(t, s, culture))
            sb.AppendLine(quantity is { } q ? $"  {q.ToString(culture)} × {name}{TextSuffix(seat)} ({detail}) = {amount}" : $"  {name} = {amount}");
        sb.AppendLine(LabelValue(culture, t.TotalLabel, Money.Format(t.AmountMinor ?? s.Order.TotalMinor, s.Order.Currency, culture))).AppendLine();
        if (t.ButtonPath == "/account/tickets" && s.Tickets.Count > 0)
        {
            sb.AppendLine(LabelValue(culture, t.Labels["Mail.TicketNumbers"], "").TrimEnd());
            foreach (var ticket in s.Tickets) sb.AppendLine($"  {ticket.Number} · {ticket.CategoryName}{TextSuffix(Seat(culture, ticket.SeatSection, ticket.SeatRow, ticket.SeatLabel))} · {ticket.HolderName}");
            sb.AppendLine().AppendLine(t.Labels["Mail.AccountHint"]);
        }
        if (t.ButtonText is not null) sb.AppendLine(LabelValue(culture, t.ButtonText, t.Url ?? Link(t.ButtonPath)));
        sb.AppendLine().AppendLine("-- ").AppendLine(t.Footer);
        return sb.ToString();
    }
}
