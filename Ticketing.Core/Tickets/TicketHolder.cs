using Microsoft.EntityFrameworkCore;
using Ticketing.Core.Persistence;

namespace Ticketing.Core.Tickets;

/// <summary>
/// Who holds a ticket: the account it was issued to, or — for a ticket received by transfer (or a comp) sent to an
/// address with no account then — the account signed in with that address once the address is confirmed.
/// </summary>
public readonly record struct TicketHolder(Guid UserId, string? NormalizedEmail)
{
    public static async Task<TicketHolder> LoadAsync(TicketingDbContext db, Guid userId, CancellationToken ct)
    {
        var email = await db.Users.AsNoTracking().Where(u => u.Id == userId && u.EmailConfirmed && u.DeletedAt == null)
            .Select(u => u.NormalizedEmail).FirstOrDefaultAsync(ct);
        return new TicketHolder(userId, string.IsNullOrEmpty(email) ? null : email);
    }

    public bool Holds(Ticket ticket) =>
        (ticket.UserId == UserId && UserId != Guid.Empty)
        || (NormalizedEmail is not null && ticket.UserId == Guid.Empty && ticket.HolderEmail == NormalizedEmail);

    /// <summary>The same rule as <see cref="Holds"/>, for queries.</summary>
    public IQueryable<Ticket> Filter(IQueryable<Ticket> tickets)
    {
        var (id, email) = (UserId, NormalizedEmail);
        return email is null
            ? tickets.Where(t => t.UserId == id)
            : tickets.Where(t => t.UserId == id || (t.UserId == Guid.Empty && t.HolderEmail == email));
    }

    public static string Normalize(string email) => email.Trim().Normalize().ToUpperInvariant();
}
