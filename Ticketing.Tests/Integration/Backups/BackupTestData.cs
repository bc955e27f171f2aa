using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Ticketing.Core.Events;
using Ticketing.Core.Orders;
using Ticketing.Core.Payments;
using Ticketing.Core.Persistence;
using Ticketing.Core.Tickets;

namespace Ticketing.Tests.Integration.Backups;

/// <summary>Orders, payments and tickets written directly with the entities, and an exact fingerprint of them.</summary>
public static class BackupTestData
{
    public const string HolderName = "Zoé Confidentielle-Sauvegarde";
    public const string GatewayReference = "sim_ref_SECRET_7f3a9c";

    public sealed record Fingerprint(int Orders, int OrderItems, int Payments, int Tickets, string Checksum);

    public static TicketingDbContext Open(DatabaseProvider provider, string connectionString) => provider == DatabaseProvider.Sqlite
        ? new SqliteTicketingDbContext(new DbContextOptionsBuilder<SqliteTicketingDbContext>().UseSqlite(connectionString)
            .UseApplicationServiceProvider(DesignTimeServices.Provider).Options)
        : new PostgresTicketingDbContext(new DbContextOptionsBuilder<PostgresTicketingDbContext>().UseNpgsql(connectionString)
            .UseApplicationServiceProvider(DesignTimeServices.Provider).Options);

    /// <summary>One event, <paramref name="orders"/> paid orders of two items each, an approved payment per order and one ticket per seat.</summary>
    public static async Task SeedAsync(TicketingDbContext db, Guid userId, string buyerEmail, int orders = 12)
    {
        var start = new DateTimeOffset(2030, 6, 12, 18, 30, 0, TimeSpan.Zero);
        var evt = new Event
        {
            Id = Guid.CreateVersion7(), Title = "Backup drill gala", Description = "A night to restore", Category = EventCategory.Concert,
            OwnerId = userId, Status = EventStatus.Published, CreatedAt = start.AddMonths(-2), UpdatedAt = start.AddMonths(-2),
        };
        var perf = new Performance
        {
            Id = Guid.CreateVersion7(), EventId = evt.Id, StartsAt = start, VenueName = "Salle Pleyel", City = "Paris",
            Address = "252 rue du Faubourg Saint-Honoré", TicketPrefix = "PAR-0612",
        };
        var cat = new PriceCategory { Id = Guid.CreateVersion7(), PerformanceId = perf.Id, Name = "Carré Or", PriceMinor = 4500, Capacity = 500 };
        perf.Categories.Add(cat);
        evt.Performances.Add(perf);
        evt.RefreshSearchText();
        db.Events.Add(evt);

        int seq = 0;
        for (int i = 0; i < orders; i++)
        {
            var created = start.AddDays(-30).AddMinutes(i * 7).AddTicks(i * 1234567); // sub-second precision must survive
            var order = new Order
            {
                Id = Guid.CreateVersion7(), UserId = userId, EventId = evt.Id, PerformanceId = perf.Id, Status = OrderStatus.Paid,
                TotalMinor = 9000 + i, Currency = "EUR", CreatedAt = created, ExpiresAt = created.AddMinutes(10), PaidAt = created.AddMinutes(2),
                BuyerName = i == 3 ? HolderName : $"Buyer {i} ({buyerEmail})", Version = 2,
            };
            order.Items.Add(new OrderItem { Id = Guid.CreateVersion7(), OrderId = order.Id, CategoryId = cat.Id, CategoryName = cat.Name, Quantity = 1, UnitPriceMinor = 4500 });
            order.Items.Add(new OrderItem { Id = Guid.CreateVersion7(), OrderId = order.Id, CategoryId = cat.Id, CategoryName = cat.Name, Quantity = 1, UnitPriceMinor = 4500 + i });
            db.Orders.Add(order);
            db.Payments.Add(new Payment
            {
                Id = Guid.CreateVersion7(), OrderId = order.Id, Provider = "simulated", Status = i % 5 == 4 ? PaymentStatus.Refunded : PaymentStatus.Approved,
                AmountMinor = order.TotalMinor, Currency = "EUR", CardBrand = "Visa", CardLast4 = "4242",
                GatewayReference = i == 3 ? GatewayReference : $"sim_{i:D6}", CreatedAt = created.AddMinutes(1), CompletedAt = created.AddMinutes(2),
                RefundedAt = i % 5 == 4 ? created.AddDays(1) : null,
            });
            foreach (var item in order.Items)
            {
                seq++;
                db.Tickets.Add(new Ticket
                {
                    Id = Guid.CreateVersion7(), OrderId = order.Id, UserId = userId, EventId = evt.Id, PerformanceId = perf.Id, CategoryId = cat.Id,
                    Number = $"{perf.TicketPrefix}-{seq:D6}", Sequence = seq, CategoryName = cat.Name, HolderName = order.BuyerName,
                    PriceMinor = item.UnitPriceMinor, Currency = "EUR", Status = i % 5 == 4 ? TicketStatus.Voided : TicketStatus.Valid,
                    IssuedAt = created.AddMinutes(2), VoidedAt = i % 5 == 4 ? created.AddDays(1) : null,
                });
            }
        }
        await db.SaveChangesAsync();
    }

    public static async Task<Fingerprint> FingerprintAsync(TicketingDbContext db)
    {
        var orders = await db.Orders.AsNoTracking().Include(o => o.Items).ToListAsync();
        orders = orders.OrderBy(o => o.Id).ToList();
        foreach (var o in orders) o.Items = o.Items.OrderBy(i => i.Id).ToList();
        var payments = (await db.Payments.AsNoTracking().ToListAsync()).OrderBy(p => p.Id).ToList();
        var tickets = (await db.Tickets.AsNoTracking().ToListAsync()).OrderBy(t => t.Id).ToList();
        var json = JsonSerializer.Serialize(new { orders, payments, tickets });
        return new Fingerprint(orders.Count, orders.Sum(o => o.Items.Count), payments.Count, tickets.Count,
            Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(json))));
    }

    /// <summary>Asserts that none of the values appear in the bytes, as UTF-8 or UTF-16.</summary>
    public static void AssertUnreadable(byte[] bytes, params string[] values)
    {
        foreach (var value in values)
        {
            Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(value)) < 0, $"'{value}' is readable (UTF-8) in the backup file");
            Assert.True(bytes.AsSpan().IndexOf(Encoding.Unicode.GetBytes(value)) < 0, $"'{value}' is readable (UTF-16) in the backup file");
        }
    }
}
