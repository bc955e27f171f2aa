using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Ticketing.Core.Accounts;
using Ticketing.Core.Common;
using Ticketing.Core.Events;
using Ticketing.Core.Notifications;
using Ticketing.Core.Orders;
using Ticketing.Core.Payments;
using Ticketing.Core.Tickets;

namespace Ticketing.Core.Persistence;

/// <summary>The one model, shared by the SQLite and PostgreSQL contexts (each has its own migrations).</summary>
public abstract class TicketingDbContext(DbContextOptions options)
    : IdentityDbContext<AppUser, AppRole, Guid>(options), IDataProtectionKeyContext
{
    public DbSet<Event> Events => Set<Event>();
    public DbSet<Performance> Performances => Set<Performance>();
    public DbSet<PriceCategory> PriceCategories => Set<PriceCategory>();
    public DbSet<Order> Orders => Set<Order>();
    public DbSet<OrderItem> OrderItems => Set<OrderItem>();
    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();
    public DbSet<Payment> Payments => Set<Payment>();
    public DbSet<Ticket> Tickets => Set<Ticket>();
    public DbSet<AccountHoldGuard> AccountHoldGuards => Set<AccountHoldGuard>();
    public DbSet<Notification> Notifications => Set<Notification>();
    public DbSet<SmsMessage> SmsMessages => Set<SmsMessage>();
    public DbSet<AppSecret> AppSecrets => Set<AppSecret>();
    public DbSet<RefreshToken> RefreshTokens => Set<RefreshToken>();
    public DbSet<SimulatedCharge> SimulatedCharges => Set<SimulatedCharge>();
    public DbSet<Door.DoorDevice> DoorDevices => Set<Door.DoorDevice>();
    public DbSet<CheckoutSession> CheckoutSessions => Set<CheckoutSession>();
    public DbSet<WebhookEvent> WebhookEvents => Set<WebhookEvent>();
    public DbSet<Receipts.Receipt> Receipts => Set<Receipts.Receipt>();
    public DbSet<Receipts.ReceiptCounter> ReceiptCounters => Set<Receipts.ReceiptCounter>();
    public DbSet<Comps.Comp> Comps => Set<Comps.Comp>();
    public DbSet<Comps.CompQuota> CompQuotas => Set<Comps.CompQuota>();
    public DbSet<Resale.ResaleListing> ResaleListings => Set<Resale.ResaleListing>();
    public DbSet<Waitlist.WaitlistEntry> WaitlistEntries => Set<Waitlist.WaitlistEntry>();
    public DbSet<Messages.AttendeeMessage> AttendeeMessages => Set<Messages.AttendeeMessage>();
    public DbSet<Messages.AttendeeMessageRecipient> AttendeeMessageRecipients => Set<Messages.AttendeeMessageRecipient>();
    public DbSet<Codes.EventCode> EventCodes => Set<Codes.EventCode>();
    public DbSet<Codes.CodeUse> CodeUses => Set<Codes.CodeUse>();
    public DbSet<Seating.SeatingPlan> SeatingPlans => Set<Seating.SeatingPlan>();
    public DbSet<Seating.SeatingPlanSeat> SeatingPlanSeats => Set<Seating.SeatingPlanSeat>();
    public DbSet<Seating.StandingZone> StandingZones => Set<Seating.StandingZone>();
    public DbSet<Seating.PerformanceSeat> PerformanceSeats => Set<Seating.PerformanceSeat>();
    public DbSet<Webhooks.WebhookSubscription> WebhookSubscriptions => Set<Webhooks.WebhookSubscription>();
    public DbSet<Webhooks.WebhookDelivery> WebhookDeliveries => Set<Webhooks.WebhookDelivery>();
    public DbSet<Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.DataProtectionKey> DataProtectionKeys =>
        Set<Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.DataProtectionKey>();

    public abstract DatabaseProvider Provider { get; }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(TicketingDbContext).Assembly);
        // A data protection key's XML is ~1 KB: the 400-character default broke the first prerendered page on PostgreSQL.
        builder.Entity<Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.DataProtectionKey>().Property(k => k.Xml).HasMaxLength(100_000);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<string>().HaveMaxLength(400);
        configurationBuilder.Properties<Enum>().HaveConversion<string>().HaveMaxLength(32);
    }
}

public enum DatabaseProvider { Sqlite, Postgres }

public sealed class SqliteTicketingDbContext(DbContextOptions<SqliteTicketingDbContext> options) : TicketingDbContext(options)
{
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        base.ConfigureConventions(configurationBuilder);
        // SQLite cannot compare or order DateTimeOffset; store UTC ticks as a sortable integer.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
        configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<UtcTicksConverter>();
    }
}

public sealed class PostgresTicketingDbContext(DbContextOptions<PostgresTicketingDbContext> options) : TicketingDbContext(options)
{
    public override DatabaseProvider Provider => DatabaseProvider.Postgres;
}

/// <summary>DateTimeOffset stored as UTC ticks (long): ordered and compared natively by SQLite.</summary>
public sealed class UtcTicksConverter() : Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<DateTimeOffset, long>(
    v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero));
