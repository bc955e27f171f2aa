using Microsoft.EntityFrameworkCore;
using Ticketing.Core.Events;
using Ticketing.Core.Persistence;

namespace Ticketing.Web.Features.Orders;

/// <summary>
/// Development only (never mapped elsewhere): POST /dev/purchase-demo creates a published event with three categories
/// and answers its performance id, so the booking flow can be tried and screenshotted before the catalogue exists.
/// </summary>
public static class DevPurchaseDemoEndpoint
{
    public static void MapDevPurchaseDemo(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment()) return;
        app.MapPost("/dev/purchase-demo", async (IDbContextFactory<TicketingDbContext> dbFactory, TimeProvider clock) =>
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            var now = clock.GetUtcNow();
            var startsAt = new DateTimeOffset(now.UtcDateTime.Date.AddDays(40).AddHours(18).AddMinutes(30), TimeSpan.Zero);
            var ev = new Event
            {
                Id = Guid.CreateVersion7(), Title = "Gala de l’École — Nuit des Étoiles", Description = "Demo event.", Category = EventCategory.Show,
                OwnerId = Guid.Empty, Status = EventStatus.Published, MaxTicketsPerOrder = 6, CreatedAt = now, UpdatedAt = now, PublishedAt = now,
            };
            var performance = new Performance
            {
                Id = Guid.CreateVersion7(), EventId = ev.Id, StartsAt = startsAt, VenueName = "Salle Pleyel", City = "Paris",
                Address = "252 rue du Faubourg Saint-Honoré", TicketPrefix = Performance.MakeTicketPrefix("Paris", startsAt),
            };
            performance.Categories.Add(new PriceCategory { Id = Guid.CreateVersion7(), Name = "Carré Or", PriceMinor = 8950, Capacity = 12, SortOrder = 0 });
            performance.Categories.Add(new PriceCategory { Id = Guid.CreateVersion7(), Name = "Catégorie 1", PriceMinor = 4500, Capacity = 300, SortOrder = 1 });
            performance.Categories.Add(new PriceCategory { Id = Guid.CreateVersion7(), Name = "Fosse", PriceMinor = 3900, Capacity = 0, SortOrder = 2 });
            ev.Performances.Add(performance);
            ev.RefreshSearchText();
            db.Events.Add(ev);
            await db.SaveChangesAsync();
            return Results.Ok(new { eventId = ev.Id, performanceId = performance.Id });
        }).ExcludeFromDescription();
    }
}
