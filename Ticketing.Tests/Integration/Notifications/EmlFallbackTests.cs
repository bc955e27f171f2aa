using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Ticketing.Core.Persistence;
using Ticketing.Core.Accounts;
using Ticketing.Core.Notifications;
using Ticketing.Tests.Infrastructure;

namespace Ticketing.Tests.Integration.Notifications;

/// <summary>With no SMTP host (the plain run command), mails are written as .eml files under App_Data/mail/.</summary>
public abstract class EmlFallbackTests(TicketingApp app) : IAsyncLifetime
{
    private readonly NotificationTestData data = new(app);

    public Task InitializeAsync() => app.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task WithoutSmtpHost_TheMailIsWrittenAsAnEmlFileOnceEvenIfSentTwice()
    {
        var (_, buyer, email) = await app.CreateUserClientAsync(Roles.Customer, language: "fr", displayName: "Léa Dubois");
        var (_, owner, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var order = await data.PaidOrderAsync(buyer, owner, tickets: 2);

        Assert.Equal(1, (await data.DispatchAsync()).Sent);

        var path = Path.Combine(app.ContentRoot, "App_Data", "mail", $"{order.Notification.Id:N}.eml");
        Assert.True(File.Exists(path), path);
        using var message = await MimeMessage.LoadAsync(path);
        Assert.Equal("Vos billets pour Les Misérables — Soirée d'ouverture", message.Subject);
        Assert.Equal(email, message.To.Mailboxes.Single().Address);
        Assert.Equal(order.Notification.MessageId.Trim('<', '>'), message.MessageId);
        Assert.NotNull(message.HtmlBody);
        Assert.NotNull(message.TextBody);
        Assert.Single(message.Attachments);

        // A resend after a crash (the row left "Sending", its lease expired) overwrites the same file: no duplicate.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TicketingDbContext>();
            var expired = app.Clock.GetUtcNow().AddSeconds(-1);
            await db.Notifications.Where(n => n.Id == order.Notification.Id).ExecuteUpdateAsync(s => s
                .SetProperty(n => n.Status, NotificationStatus.Sending).SetProperty(n => n.LockedUntil, expired));
        }
        Assert.Equal(1, (await data.DispatchAsync()).Sent);
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!, "*.eml"));
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteEmlFallbackTests(SqliteApp app) : EmlFallbackTests(app);

[Collection(PostgresCollection.Name)]
public sealed class PostgresEmlFallbackTests(PostgresApp app) : EmlFallbackTests(app);
