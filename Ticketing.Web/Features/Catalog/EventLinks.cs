using Ticketing.Core.Events;

namespace Ticketing.Web.Features.Catalog;

public static class EventLinks
{
    public const string Placeholder = "/img/events/placeholder.svg";

    public static string Page(EventListItem e) => $"/events/{e.Id}/{e.Slug}";

    public static string Page(EventDetail e) => $"/events/{e.Id}/{Availability.Slug(e.Title)}";
}
