using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Core.Accounts;
using Ticketing.Core.Events;
using Ticketing.Core.Notifications;
using Ticketing.Core.Orders;
using Ticketing.Core.Persistence;
using Ticketing.Core.Tickets;

namespace Ticketing.Tests.Infrastructure;

public sealed record PaidOrder(Order Order, Event Event, Performance Performance, IReadOnlyList<Ticket> Tickets, Notification Notification);

/// <summary>
/// Paid orders inserted directly as entities (no purchase flow), with their outbox row written in the same
/// SaveChanges through <see cref="Outbox.Enqueue"/>, as the payment transaction does.
/// </summary>
public sealed class NotificationTestData(TicketingApp app)
{
    public async Task<PaidOrder> PaidOrderAsync(Guid buyerId, Guid ownerId, int tickets = 2, string title = "Les Misérables — Soirée d'ouverture",
        NotificationKind kind = NotificationKind.OrderConfirmed, string? recipientOverride = null)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TicketingDbContext>();
        var now = app.Clock.GetUtcNow();
        var buyer = await db.Users.SingleAsync(u => u.Id == buyerId);
        var prefix = "LYO-" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();

        var ev = new Event
        {
            Id = Guid.CreateVersion7(), Title = title, Description = "Opening night", Artist = "Orchestre de l'Opéra de Lyon",
            Category = EventCategory.Theatre, OwnerId = ownerId, Status = EventStatus.Published, CreatedAt = now, UpdatedAt = now, PublishedAt = now,
        };
        var performance = new Performance
        {
            Id = Guid.CreateVersion7(), EventId = ev.Id, StartsAt = new DateTimeOffset(2030, 3, 14, 19, 30, 0, TimeSpan.Zero),
            VenueName = "Théâtre des Célestins", City = "Lyon", Address = "4 rue Charles Dullin", TimeZoneId = "Europe/Paris",
            TicketPrefix = prefix, LastTicketNumber = tickets,
        };
        var category = new PriceCategory
        {
            Id = Guid.CreateVersion7(), PerformanceId = performance.Id, Name = "Orchestre — Cat 1", PriceMinor = 4500, Capacity = 100, Sold = tickets,
        };
        performance.Categories.Add(category);
        ev.Performances.Add(performance);
        ev.RefreshSearchText();

        var order = new Order
        {
            Id = Guid.CreateVersion7(), UserId = buyer.Id, EventId = ev.Id, PerformanceId = performance.Id,
            Status = kind == NotificationKind.OrderConfirmed ? OrderStatus.Paid : OrderStatus.Refunded,
            TotalMinor = 4500L * tickets, Currency = "EUR", CreatedAt = now, ExpiresAt = now.AddMinutes(10), PaidAt = now, BuyerName = buyer.DisplayName,
        };
        order.Items.Add(new OrderItem { Id = Guid.CreateVersion7(), OrderId = order.Id, CategoryId = category.Id, CategoryName = category.Name, Quantity = tickets, UnitPriceMinor = 4500 });

        var issued = Enumerable.Range(1, tickets).Select(i => new Ticket
        {
            Id = Guid.CreateVersion7(), OrderId = order.Id, UserId = buyer.Id, EventId = ev.Id, PerformanceId = performance.Id, CategoryId = category.Id,
            Number = $"{prefix}-{i:D6}", Sequence = i, CategoryName = category.Name, HolderName = buyer.DisplayName, PriceMinor = 4500, Currency = "EUR",
            Status = kind == NotificationKind.OrderConfirmed ? TicketStatus.Valid : TicketStatus.Voided, IssuedAt = now,
        }).ToList();

        db.Events.Add(ev);
        db.Orders.Add(order);
        db.Tickets.AddRange(issued);
        var notification = Outbox.Enqueue(db, order, buyer, kind, now);
        if (recipientOverride is not null) notification.Recipient = recipientOverride;
        await db.SaveChangesAsync();
        return new PaidOrder(order, ev, performance, issued, notification);
    }

    public async Task<Notification> NotificationAsync(Guid id)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TicketingDbContext>();
        return await db.Notifications.AsNoTracking().SingleAsync(n => n.Id == id);
    }

    public async Task<DispatchResult> DispatchAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<NotificationDispatcher>().DispatchDueAsync();
    }

    public async Task<string> TicketCodeAsync(Ticket ticket)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var signer = scope.ServiceProvider.GetRequiredService<TicketCodeSigner>();
        await signer.InitializeAsync();
        return signer.Sign(ticket.Id, ticket.PerformanceId);
    }
}
