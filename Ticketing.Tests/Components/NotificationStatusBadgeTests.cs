using System.Globalization;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using Ticketing.Core.Accounts;
using Ticketing.Core.Notifications;
using Ticketing.Core.Persistence;
using Ticketing.Tests.Infrastructure;
using Ticketing.Web.Features.Notifications;

namespace Ticketing.Tests.Components;

/// <summary>The order page's confirmation badge, rendered with bUnit over the real SQLite database of the test app.</summary>
[Collection(SqliteCollection.Name)]
public sealed class NotificationStatusBadgeTests(SqliteApp app) : IAsyncLifetime
{
    private readonly NotificationTestData data = new(app);

    public Task InitializeAsync() => app.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private BunitContext NewContext()
    {
        var ctx = new BunitContext();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices();
        ctx.Services.AddLocalization();
        ctx.Services.AddSingleton(app.Services.GetRequiredService<IDbContextFactory<TicketingDbContext>>());
        ctx.Services.AddSingleton<TimeProvider>(app.Clock);
        ctx.Services.AddScoped<NotificationAdminService>();
        return ctx;
    }

    [Fact]
    public async Task Badge_ShowsPendingThenSent_InTheCurrentLanguage()
    {
        var (_, buyer, _) = await app.CreateUserClientAsync(Roles.Customer);
        var (_, owner, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var order = await data.PaidOrderAsync(buyer, owner, tickets: 1);
        var previous = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("fr");
            await using var ctx = NewContext();
            var badge = ctx.Render<NotificationStatusBadge>(p => p.Add(b => b.OrderId, order.Order.Id));
            badge.WaitForAssertion(() => Assert.Contains("Confirmation en cours d'envoi", badge.Markup));
            Assert.Contains("tk-notify-badge-pending", badge.Markup);

            await using (var scope = app.Services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<TicketingDbContext>();
                await db.Notifications.Where(n => n.Id == order.Notification.Id).ExecuteUpdateAsync(s => s.SetProperty(n => n.Status, NotificationStatus.Failed));
            }
            var failed = ctx.Render<NotificationStatusBadge>(p => p.Add(b => b.OrderId, order.Order.Id));
            failed.WaitForAssertion(() => Assert.Contains("Confirmation non délivrée", failed.Markup));

            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en");
            var none = ctx.Render<NotificationStatusBadge>(p => p.Add(b => b.OrderId, Guid.NewGuid()));
            none.WaitForAssertion(() => Assert.Contains("No confirmation yet", none.Markup));
        }
        finally { CultureInfo.CurrentUICulture = previous; }
    }
}
