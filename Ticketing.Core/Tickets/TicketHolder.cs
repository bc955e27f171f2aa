using Microsoft.EntityFrameworkCore;
using Ticketing.Core.Persistence;

namespace Ticketing.Core.Tickets;

/// <summary>
/// Who holds a ticket: the account it was issued to, or — for a ticket received by transfer (or a comp) sent to an
/// address with no account then — the account signed in with that address once the address is confirmed. The same
/// confirmed address claims the tickets of its guest orders (<see cref="Guests.GuestKey"/>).
/// </summary>
public readonly record struct TicketHolder(Guid UserId, string? NormalizedEmail)
{
    public static async Task<TicketHolder> LoadAsync(TicketingDbContext db, Guid userId, CancellationToken ct)
    {
        var email = await db.Users.AsNoTracking().Where(u => u.Id == userId && u.EmailConfirmed && u.DeletedAt == null)
            .Select(u => u.NormalizedEmail).FirstOrDefaultAsync(ct);
        return new TicketHolder(userId, string.IsNullOrEmpty(email) ? null : email);
    }

    /// <summary>The guest id of the confirmed address: its guest orders are this account's (claimed); null without one.</summary>
    public Guid? GuestId => NormalizedEmail is null ? null : Guests.GuestKey.For(NormalizedEmail);

    public bool Holds(Ticket ticket) =>
        (ticket.UserId == UserId && UserId != Guid.Empty)
        || (NormalizedEmail is not null && ticket.UserId == Guid.Empty && ticket.HolderEmail == NormalizedEmail)
        || (GuestId is { } guest && ticket.UserId == guest);

    /// <summary>The same rule as <see cref="Holds"/>, for queries.</summary>
    public IQueryable<Ticket> Filter(IQueryable<Ticket> tickets)
    {
        var (id, email) = (UserId, NormalizedEmail);
        if (email is null) return tickets.Where(t => t.UserId == id);
        var guest = Guests.GuestKey.For(email);
        return tickets.Where(t => t.UserId == id || t.UserId == guest || (t.UserId == Guid.Empty && t.HolderEmail == email));
    }

    public static string Normalize(string email) => email.Trim().Normalize().ToUpperInvariant();
}
