using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Core.Events;
using Ticketing.Core.Persistence;

namespace Ticketing.Tests.Infrastructure;

/// <summary>
/// Events for the purchase tests, inserted directly as entities (the purchase feature does not depend on the
/// catalogue's services). <c>await PurchaseTestData.Event(app).WithCategory("Cat 1", 4500, 50).SaveAsync()</c>.
/// </summary>
public sealed class PurchaseTestData
{
    private readonly TicketingApp _app;
    private readonly List<(string Name, long PriceMinor, int Capacity)> _categories = [];
    private EventStatus _status = EventStatus.Published;
    private int _maxPerOrder = 10;
    private int? _maxPerAccount, _maxPerAccountPerCategory;
    private Guid _ownerId = Guid.CreateVersion7();
    private TimeSpan _startsIn = TimeSpan.FromDays(30);
    private TimeSpan? _salesOpenIn, _salesCloseIn;
    private string _title = "Purchase test gala", _city = "Paris";

    private PurchaseTestData(TicketingApp app) => _app = app;

    public static PurchaseTestData Event(TicketingApp app) => new(app);

    public PurchaseTestData WithCategory(string name, long priceMinor, int capacity) { _categories.Add((name, priceMinor, capacity)); return this; }
    public PurchaseTestData WithStatus(EventStatus status) { _status = status; return this; }
    public PurchaseTestData WithMaxTicketsPerOrder(int max) { _maxPerOrder = max; return this; }
    /// <summary>The event's per-account caps (null: the platform's defaults, 20 per event and 15 per category).</summary>
    public PurchaseTestData WithMaxTicketsPerAccount(int? perEvent, int? perCategory = null)
    {
        (_maxPerAccount, _maxPerAccountPerCategory) = (perEvent, perCategory);
        return this;
    }
    public PurchaseTestData OwnedBy(Guid ownerId) { _ownerId = ownerId; return this; }
    public PurchaseTestData StartingIn(TimeSpan startsIn) { _startsIn = startsIn; return this; }
    public PurchaseTestData WithSalesWindow(TimeSpan? opensIn, TimeSpan? closesIn) { _salesOpenIn = opensIn; _salesCloseIn = closesIn; return this; }
    public PurchaseTestData Titled(string title, string city = "Paris") { _title = title; _city = city; return this; }

    public async Task<TestEvent> SaveAsync()
    {
        if (_categories.Count == 0) WithCategory("Cat 1", 4500, 50);
        var now = _app.Clock.GetUtcNow();
        var startsAt = new DateTimeOffset((now + _startsIn).UtcDateTime.Date.AddHours(19), TimeSpan.Zero);
        var ev = new Event
        {
            Id = Guid.CreateVersion7(), Title = _title, Description = "A test event.", Category = EventCategory.Concert,
            OwnerId = _ownerId, Status = _status, MaxTicketsPerOrder = _maxPerOrder,
            MaxTicketsPerAccount = _maxPerAccount, MaxTicketsPerAccountPerCategory = _maxPerAccountPerCategory, CreatedAt = now, UpdatedAt = now,
            PublishedAt = _status == EventStatus.Published ? now : null,
        };
        var performanceId = Guid.CreateVersion7();
        var performance = new Performance
        {
            Id = performanceId, EventId = ev.Id, StartsAt = startsAt, VenueName = "Salle Pleyel", City = _city,
            Address = "252 rue du Faubourg Saint-Honoré", TicketPrefix = Performance.MakeTicketPrefix(_city, startsAt, performanceId),
            SalesOpenAt = _salesOpenIn is { } o ? now + o : null, SalesCloseAt = _salesCloseIn is { } c ? now + c : null,
        };
        var sort = 0;
        foreach (var (name, price, capacity) in _categories)
            performance.Categories.Add(new PriceCategory
            {
                Id = Guid.CreateVersion7(), PerformanceId = performance.Id, Name = name, PriceMinor = price, Capacity = capacity, SortOrder = sort++,
            });
        ev.Performances.Add(performance);
        ev.RefreshSearchText();

        await using var scope = _app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TicketingDbContext>();
        db.Events.Add(ev);
        await db.SaveChangesAsync();
        return new TestEvent(ev.Id, performance.Id, _ownerId, performance.TicketPrefix,
            performance.Categories.Select(c => new TestCategory(c.Id, c.Name, c.PriceMinor, c.Capacity)).ToList());
    }

    /// <summary>The counters of a category as the database has them now.</summary>
    public static async Task<PriceCategory> CategoryAsync(TicketingApp app, Guid categoryId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TicketingDbContext>();
        return await db.PriceCategories.AsNoTracking().SingleAsync(c => c.Id == categoryId);
    }

    /// <summary>A fresh context on the app's database (dispose the scope).</summary>
    public static async Task<T> QueryAsync<T>(TicketingApp app, Func<TicketingDbContext, Task<T>> query)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<TicketingDbContext>());
    }

    public static async Task<T> WithServiceAsync<TService, T>(TicketingApp app, Func<TService, Task<T>> use) where TService : notnull
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await use(scope.ServiceProvider.GetRequiredService<TService>());
    }

    public static object Hold(TestEvent ev, int quantity, int category = 0) =>
        new { performanceId = ev.PerformanceId, items = new[] { new { categoryId = ev.Categories[category].Id, quantity } } };

    public static object Card(string number = "4242 4242 4242 4242", string cvc = "123", int month = 12, int? year = null) =>
        new { cardNumber = number, expiryMonth = month, expiryYear = year ?? DateTime.UtcNow.Year + 2, cvc, cardholderName = "Léa Fan" };

    public static async Task<JsonElement> HoldAsync(HttpClient client, TestEvent ev, int quantity, int category = 0)
    {
        var response = await client.PostAsJsonAsync("/api/orders", Hold(ev, quantity, category));
        return await response.ReadJsonAsync(System.Net.HttpStatusCode.Created);
    }
}

public sealed record TestEvent(Guid EventId, Guid PerformanceId, Guid OwnerId, string TicketPrefix, IReadOnlyList<TestCategory> Categories);

public sealed record TestCategory(Guid Id, string Name, long PriceMinor, int Capacity);
