using Microsoft.EntityFrameworkCore;
using Ticketing.Core.Common;
using Ticketing.Core.Persistence;

namespace Ticketing.Core.Events;

/// <summary>The back-office rule: the event's owner or an Admin. Others get 404 for a draft (never revealed), 403 otherwise.</summary>
public static class EventAccess
{
    public static async Task<Event> GetManageableAsync(TicketingDbContext db, Guid eventId, Actor actor, CancellationToken ct = default)
    {
        var ev = await db.Events.FirstOrDefaultAsync(e => e.Id == eventId, ct);
        EnsureCanManage(ev, actor);
        return ev!;
    }

    public static void EnsureCanManage(Event? ev, Actor actor)
    {
        if (ev is null) throw new NotFoundException();
        if (actor.IsAdmin || ev.OwnerId == actor.UserId) return;
        if (ev.Status == EventStatus.Draft) throw new NotFoundException();
        throw new ForbiddenException();
    }
}
