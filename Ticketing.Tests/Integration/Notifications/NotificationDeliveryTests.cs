using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Ticketing.Core.Accounts;
using Ticketing.Core.Notifications;
using Ticketing.Core.Persistence;
using Ticketing.Tests.Infrastructure;
using UglyToad.PdfPig;

namespace Ticketing.Tests.Integration.Notifications;

/// <summary>Delivery of the outbox through a real SMTP server on a socket and the simulated SMS gateway.</summary>
public abstract class NotificationDeliveryTests(SmtpTicketingApp app) : IAsyncLifetime
{
    private readonly NotificationTestData data = new(app);
    private TestSmtpServer Smtp => app.Smtp;

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        Smtp.Refusing = false;
        await Smtp.StartAsync();
        Smtp.Clear();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<(Guid Buyer, Guid Owner)> UsersAsync(string language = "en", string? displayName = null,
        NotificationChannel channel = NotificationChannel.Email, string? phone = null)
    {
        var (_, buyer, _) = await app.CreateUserClientAsync(Roles.Customer, displayName: displayName ?? "Alice Martin", language: language, channel: channel, phone: phone);
        var (_, owner, _) = await app.CreateUserClientAsync(Roles.Organizer);
        return (buyer, owner);
    }

    private static string Squash(string text) => Regex.Replace(text, @"\s+", "");

    [Fact]
    public async Task PaidOrders_EachGetOneMailInTheBuyersLanguage_WithOnePdfPagePerTicket()
    {
        var (en, owner) = await UsersAsync("en", "Alice Martin");
        var (fr, _) = await UsersAsync("fr", "Léa Dubois");
        var english = await data.PaidOrderAsync(en, owner, tickets: 2);
        var french = await data.PaidOrderAsync(fr, owner, tickets: 3);

        var result = await data.DispatchAsync();

        Assert.Equal(2, result.Sent);
        Assert.Equal(2, Smtp.Messages.Count);
        var enMail = Smtp.Messages.Single(m => m.MessageId == english.Notification.MessageId.Trim('<', '>'));
        var frMail = Smtp.Messages.Single(m => m.MessageId == french.Notification.MessageId.Trim('<', '>'));

        SaveSamples(enMail, "en");
        SaveSamples(frMail, "fr");
        Assert.Equal("Your tickets for Les Misérables — Soirée d'ouverture", enMail.Subject);
        Assert.Equal("Vos billets pour Les Misérables — Soirée d'ouverture", frMail.Subject);
        Assert.Contains("Thank you for your order", enMail.TextBody);
        Assert.Contains("Merci pour votre commande", frMail.TextBody);
        Assert.Contains("Thursday, March 14, 2030 · 8:30 PM", System.Net.WebUtility.HtmlDecode(enMail.HtmlBody)!.Replace('\u202F', ' ')); // 19:30 UTC in Lyon (CET)
        Assert.Contains("Jeudi 14 mars 2030 · 20:30", frMail.HtmlBody);
        Assert.Contains("€90.00", enMail.HtmlBody);
        Assert.Contains("135,00", frMail.HtmlBody);
        Assert.Contains("https://tickets.example.com/account/tickets", enMail.HtmlBody);
        // The plain-text part too links to the site absolutely (App:PublicBaseUrl), with French typography in French.
        Assert.Contains("View my tickets: https://tickets.example.com/account/tickets", enMail.TextBody);
        Assert.Contains(": https://tickets.example.com/account/tickets", frMail.TextBody);
        Assert.Contains("Event: Les Misérables", enMail.TextBody);
        Assert.Contains("Événement\u202F: Les Misérables", frMail.TextBody);
        foreach (var t in french.Tickets)
        {
            Assert.Contains(t.Number, frMail.HtmlBody);
            Assert.Contains(t.Number, frMail.TextBody);
        }

        var frPdf = Assert.Single(frMail.Attachments.OfType<MimePart>());
        Assert.Equal("application/pdf", frPdf.ContentType.MimeType);
        var bytes = Content(frPdf);
        using (var doc = PdfDocument.Open(bytes))
        {
            Assert.Equal(3, doc.NumberOfPages);
            var pages = doc.GetPages().Select(p => Squash(p.Text)).ToList();
            for (var i = 0; i < 3; i++) Assert.Contains(french.Tickets[i].Number, pages[i]);
            Assert.Contains("CATÉGORIE", pages[0]);
        }
        Assert.Equal(await data.TicketCodeAsync(french.Tickets[0]), PdfTools.DecodeQrOnFirstPage(bytes));
        using (var doc = PdfDocument.Open(Content(Assert.Single(enMail.Attachments.OfType<MimePart>()))))
            Assert.Equal(2, doc.NumberOfPages);

        var row = await data.NotificationAsync(english.Notification.Id);
        Assert.Equal(NotificationStatus.Sent, row.Status);
        Assert.Equal(1, row.Attempts);
        Assert.NotNull(row.SentAt);

        // Sent rows are never sent again.
        app.Clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(0, (await data.DispatchAsync()).Total);
        Assert.Equal(2, Smtp.Messages.Count);
    }

    [Fact]
    public async Task AfterAFlashSale_OneRunOfTheJobDeliversEveryDueConfirmation_NotJustOneBatch()
    {
        var (buyer, owner) = await UsersAsync();
        var batch = new Ticketing.Core.Notifications.NotificationOptions().BatchSize;
        for (var i = 0; i < batch + 5; i++) await data.PaidOrderAsync(buyer, owner);

        await using var scope = app.Services.CreateAsyncScope();
        var dispatcher = scope.ServiceProvider.GetRequiredService<Ticketing.Core.Notifications.NotificationDispatcher>();
        var result = await dispatcher.DispatchAllDueAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(batch + 5, result.Sent);
        Assert.Equal(batch + 5, Smtp.Messages.Count);
        Assert.Equal(0, (await dispatcher.DispatchAllDueAsync(TimeSpan.FromMinutes(1))).Total);
    }

    [Fact]
    public async Task WhileThisInstanceIsStillSelling_TheConfirmationsArePaced_AndAllDelivered()
    {
        var (buyer, owner) = await UsersAsync();
        var batch = new Ticketing.Core.Notifications.NotificationOptions().BatchSize;
        for (var i = 0; i < batch + 5; i++) await data.PaidOrderAsync(buyer, owner);

        // A sale in flight: purchases keep arriving while the job runs.
        var sale = app.Services.GetRequiredService<Ticketing.Core.Orders.SaleActivity>();
        using var stop = new CancellationTokenSource();
        var selling = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                sale.Touch();
                await Task.Delay(50);
            }
        });
        await using var scope = app.Services.CreateAsyncScope();
        var dispatcher = scope.ServiceProvider.GetRequiredService<Ticketing.Core.Notifications.NotificationDispatcher>();
        var result = await dispatcher.DispatchAllDueAsync(TimeSpan.FromMinutes(1));
        await stop.CancelAsync();
        await selling;

        Assert.Equal(batch + 5, result.Sent);
        Assert.Equal(batch + 5, Smtp.Messages.Count);
        // Two batches, one pause (Notifications:PaceWhileSellingMilliseconds, 1 s) between them.
        var received = Smtp.ReceivedAt;
        var gap = received[batch] - received[batch - 1];
        Assert.True(gap >= TimeSpan.FromMilliseconds(950), $"the second batch came {gap.TotalMilliseconds:F0} ms after the first");
    }

    [Fact]
    public async Task SmtpOutageThenRecovery_LeavesTheOrderAloneAndDeliversExactlyOnce()
    {
        var (buyer, owner) = await UsersAsync();
        var order = await data.PaidOrderAsync(buyer, owner);

        // 1. The server is up but refuses with a transient 451.
        Smtp.Refusing = true;
        var first = await data.DispatchAsync();
        Assert.Equal(1, first.Retrying);
        var row = await data.NotificationAsync(order.Notification.Id);
        Assert.Equal(NotificationStatus.Pending, row.Status);
        Assert.Equal(1, row.Attempts);
        Assert.Contains("451", row.LastError);
        Assert.True(row.NextAttemptAt - app.Clock.GetUtcNow() <= TimeSpan.FromSeconds(30), "the first retry comes within 30 s");

        // 2. The server goes down (connection refused); nothing is due before the backoff.
        Smtp.Refusing = false;
        await Smtp.StopAsync();
        Assert.Equal(0, (await data.DispatchAsync()).Total);
        app.Clock.Advance(TimeSpan.FromSeconds(21));
        Assert.Equal(1, (await data.DispatchAsync()).Retrying);
        row = await data.NotificationAsync(order.Notification.Id);
        Assert.Equal(2, row.Attempts);
        Assert.True(row.NextAttemptAt > app.Clock.GetUtcNow().AddSeconds(30), "the backoff grows");

        // 3. The server is back: one mail, and only one.
        await Smtp.StartAsync();
        app.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1, (await data.DispatchAsync()).Sent);
        app.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, (await data.DispatchAsync()).Total);

        var mail = Assert.Single(Smtp.Messages);
        Assert.Equal(order.Notification.MessageId.Trim('<', '>'), mail.MessageId);
        row = await data.NotificationAsync(order.Notification.Id);
        Assert.Equal(NotificationStatus.Sent, row.Status);
        Assert.Null(row.LastError);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TicketingDbContext>();
        Assert.Equal(Ticketing.Core.Orders.OrderStatus.Paid, (await db.Orders.SingleAsync(o => o.Id == order.Order.Id)).Status);
    }

    [Fact]
    public async Task LongOutage_FailsAfterMaxAttempts_ThenAnAdminRetryDeliversIt()
    {
        var (buyer, owner) = await UsersAsync();
        var order = await data.PaidOrderAsync(buyer, owner);
        await Smtp.StopAsync();

        for (var i = 0; i < SmtpTicketingApp.MaxAttempts; i++)
        {
            await data.DispatchAsync();
            app.Clock.Advance(TimeSpan.FromHours(2));
        }
        var row = await data.NotificationAsync(order.Notification.Id);
        Assert.Equal(NotificationStatus.Failed, row.Status);
        Assert.Equal(SmtpTicketingApp.MaxAttempts, row.Attempts);
        Assert.False(string.IsNullOrWhiteSpace(row.LastError));
        Assert.Equal(0, (await data.DispatchAsync()).Total);

        var admin = await app.AdminClientAsync();
        var failed = await (await admin.GetAsync("/api/admin/notifications?status=Failed")).ReadJsonAsync();
        Assert.Equal(1, failed.GetProperty("totalCount").GetInt32());
        var item = failed.GetProperty("items")[0];
        Assert.Equal(order.Notification.Id, item.GetProperty("id").GetGuid());
        Assert.DoesNotContain("alice", item.GetProperty("recipient").GetString()!.Split('@')[0][1..]);

        await Smtp.StartAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync($"/api/admin/notifications/{order.Notification.Id}/retry", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsync($"/api/admin/notifications/{order.Notification.Id}/retry", null)).StatusCode);
        Assert.Equal(1, (await data.DispatchAsync()).Sent);
        Assert.Single(Smtp.Messages);

        var (customer, _, _) = await app.CreateUserClientAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await customer.GetAsync("/api/admin/notifications")).StatusCode);
    }

    [Fact]
    public async Task InvalidOrRefusedAddress_FailsVisiblyWithoutRetrying()
    {
        var (buyer, owner) = await UsersAsync();
        var malformed = await data.PaidOrderAsync(buyer, owner, recipientOverride: "not-an-address");
        var refused = await data.PaidOrderAsync(buyer, owner, recipientOverride: $"someone@{TestSmtpServer.RejectedDomain}");

        var result = await data.DispatchAsync();

        Assert.Equal(2, result.Failed);
        var m = await data.NotificationAsync(malformed.Notification.Id);
        Assert.Equal(NotificationStatus.Failed, m.Status);
        Assert.Contains("Invalid recipient email address", m.LastError);
        var r = await data.NotificationAsync(refused.Notification.Id);
        Assert.Equal(NotificationStatus.Failed, r.Status);
        Assert.Contains("550", r.LastError);
        Assert.Empty(Smtp.Messages);
    }

    [Fact]
    public async Task SmsBuyer_GetsAShortTextInTheirLanguage_AndAnInvalidNumberFailsVisibly()
    {
        var (buyer, owner) = await UsersAsync("fr", "Léa Dubois", NotificationChannel.Sms, "+33612345678");
        var good = await data.PaidOrderAsync(buyer, owner, tickets: 3);
        var bad = await data.PaidOrderAsync(buyer, owner, recipientOverride: "06 12");
        Assert.Equal(NotificationChannel.Sms, good.Notification.Channel);

        var result = await data.DispatchAsync();

        Assert.Equal(1, result.Sent);
        Assert.Equal(1, result.Failed);
        Assert.Empty(Smtp.Messages);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TicketingDbContext>();
        var texts = await db.SmsMessages.AsNoTracking().ToListAsync();
        var sent = Assert.Single(texts, t => t.NotificationId == good.Notification.Id);
        Assert.Equal("Delivered", sent.Status);
        Assert.Equal("+33612345678", sent.To);
        Assert.True(sent.Body.Length <= 160, sent.Body);
        Assert.StartsWith("Ticketing : commande " + OrderReference.For(good.Order.Id) + " confirmée, 3 billets pour", sent.Body);
        Assert.Contains("https://tickets.example.com/account/tickets", sent.Body);
        Assert.Equal("Rejected", Assert.Single(texts, t => t.NotificationId == bad.Notification.Id).Status);
        var row = await data.NotificationAsync(bad.Notification.Id);
        Assert.Equal(NotificationStatus.Failed, row.Status);
        Assert.Contains("E.164", row.LastError);
    }

    [Fact]
    public async Task TwoDispatchersRunningAtOnce_SendEachNotificationOnce()
    {
        var (buyer, owner) = await UsersAsync();
        var orders = new List<PaidOrder>();
        for (var i = 0; i < 12; i++) orders.Add(await data.PaidOrderAsync(buyer, owner, tickets: 1, title: $"Concert {i}"));

        var results = await Task.WhenAll(data.DispatchAsync(), data.DispatchAsync(), data.DispatchAsync());

        Assert.Equal(12, results.Sum(r => r.Sent));
        Assert.Equal(12, Smtp.Messages.Count);
        Assert.Equal(12, Smtp.Messages.Select(m => m.MessageId).Distinct().Count());
        foreach (var o in orders) Assert.Equal(NotificationStatus.Sent, (await data.NotificationAsync(o.Notification.Id)).Status);
    }

    [Fact]
    public async Task ACrashedInstancesClaim_ExpiresAndTheNotificationIsSentByAnother()
    {
        var (buyer, owner) = await UsersAsync();
        var order = await data.PaidOrderAsync(buyer, owner);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            // An instance claimed it, then died before recording anything.
            var db = scope.ServiceProvider.GetRequiredService<TicketingDbContext>();
            var lease = app.Clock.GetUtcNow().AddSeconds(120);
            await db.Notifications.Where(n => n.Id == order.Notification.Id).ExecuteUpdateAsync(s => s
                .SetProperty(n => n.Status, NotificationStatus.Sending).SetProperty(n => n.LockedUntil, lease).SetProperty(n => n.Attempts, 1));
        }

        Assert.Equal(0, (await data.DispatchAsync()).Total);
        app.Clock.Advance(TimeSpan.FromSeconds(121));
        Assert.Equal(1, (await data.DispatchAsync()).Sent);

        var row = await data.NotificationAsync(order.Notification.Id);
        Assert.Equal(NotificationStatus.Sent, row.Status);
        Assert.Equal(2, row.Attempts);
        Assert.Single(Smtp.Messages);
    }

    [Fact]
    public async Task RefundAndCancellationNotices_CarryNoTickets()
    {
        var (buyer, owner) = await UsersAsync("fr");
        var refunded = await data.PaidOrderAsync(buyer, owner, kind: NotificationKind.OrderRefunded);
        var cancelled = await data.PaidOrderAsync(buyer, owner, title: "Gala de l'école", kind: NotificationKind.EventCancelled);

        Assert.Equal(2, (await data.DispatchAsync()).Sent);

        var refund = Smtp.Messages.Single(m => m.MessageId == refunded.Notification.MessageId.Trim('<', '>'));
        Assert.Equal($"Votre commande {OrderReference.For(refunded.Order.Id)} a été remboursée", refund.Subject);
        Assert.Empty(refund.Attachments);
        var cancel = Smtp.Messages.Single(m => m.MessageId == cancelled.Notification.MessageId.Trim('<', '>'));
        Assert.Equal("Annulation\u202F: Gala de l'école — votre commande a été remboursée", cancel.Subject);
        Assert.Contains("Montant remboursé", cancel.TextBody);
        Assert.Empty(cancel.Attachments);
    }

    [Fact]
    public async Task TicketPdfEndpoints_ServeHolderOwnerAndAdmin_AndHideFromOthers()
    {
        var (buyerClient, buyer, _) = await app.CreateUserClientAsync(Roles.Customer, displayName: "Alice Martin");
        var (ownerClient, owner, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var (otherClient, _, _) = await app.CreateUserClientAsync(Roles.Customer);
        var (otherOrganizer, _, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var admin = await app.AdminClientAsync();
        var order = await data.PaidOrderAsync(buyer, owner, tickets: 2);
        var ticket = order.Tickets[1];

        foreach (var client in new[] { buyerClient, ownerClient, admin })
        {
            var response = await client.GetAsync($"/api/tickets/{ticket.Id}/pdf");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal($"ticket-{ticket.Number}.pdf", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
            using var doc = PdfDocument.Open(await response.Content.ReadAsByteArrayAsync());
            Assert.Contains(ticket.Number, Squash(Assert.Single(doc.GetPages()).Text));
        }
        foreach (var client in new[] { otherClient, otherOrganizer })
        {
            await (await client.GetAsync($"/api/tickets/{ticket.Id}/pdf")).AssertProblemAsync(HttpStatusCode.NotFound);
            await (await client.GetAsync($"/api/orders/{order.Order.Id}/tickets.pdf")).AssertProblemAsync(HttpStatusCode.NotFound);
            await (await client.GetAsync($"/api/orders/{order.Order.Id}/notifications")).AssertProblemAsync(HttpStatusCode.NotFound);
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().GetAsync($"/api/tickets/{ticket.Id}/pdf")).StatusCode);
        await (await buyerClient.GetAsync($"/api/tickets/{Guid.NewGuid()}/pdf")).AssertProblemAsync(HttpStatusCode.NotFound);

        var all = await buyerClient.GetAsync($"/api/orders/{order.Order.Id}/tickets.pdf");
        Assert.Equal(HttpStatusCode.OK, all.StatusCode);
        using (var doc = PdfDocument.Open(await all.Content.ReadAsByteArrayAsync())) Assert.Equal(2, doc.NumberOfPages);

        var pending = await (await buyerClient.GetAsync($"/api/orders/{order.Order.Id}/notifications")).ReadJsonAsync();
        Assert.Equal("Pending", pending[0].GetProperty("status").GetString());
        Assert.Equal("OrderConfirmed", pending[0].GetProperty("kind").GetString());
        await data.DispatchAsync();
        var sent = await (await ownerClient.GetAsync($"/api/orders/{order.Order.Id}/notifications")).ReadJsonAsync();
        Assert.Equal("Sent", sent[0].GetProperty("status").GetString());
    }

    /// <summary>Set TICKETING_MAIL_SAMPLES to a folder to keep the mails (HTML, text, PDF) for a visual check.</summary>
    private static void SaveSamples(MimeMessage mail, string name)
    {
        var dir = Environment.GetEnvironmentVariable("TICKETING_MAIL_SAMPLES");
        if (string.IsNullOrWhiteSpace(dir)) return;
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, $"mail-{name}.html"), mail.HtmlBody);
        File.WriteAllText(Path.Combine(dir, $"mail-{name}.txt"), mail.TextBody);
        File.WriteAllBytes(Path.Combine(dir, $"tickets-{name}.pdf"), Content(mail.Attachments.OfType<MimePart>().Single()));
    }

    private static byte[] Content(MimePart part)
    {
        using var stream = new MemoryStream();
        part.Content!.DecodeTo(stream);
        return stream.ToArray();
    }
}

public sealed class SqliteNotificationDeliveryTests(SmtpSqliteApp app) : NotificationDeliveryTests(app), IClassFixture<SmtpSqliteApp>;

public sealed class PostgresNotificationDeliveryTests(SmtpPostgresApp app) : NotificationDeliveryTests(app), IClassFixture<SmtpPostgresApp>;
