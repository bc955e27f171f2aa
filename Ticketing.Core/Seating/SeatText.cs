using Microsoft.Extensions.Localization;

namespace Ticketing.Core.Seating;

/// <summary>
/// A ticket's seat as people read it, in the current UI culture: "Section B · Row F · Seat 12" /
/// "Porte B · Rang F · Siège 12" (resource <c>Seating.SeatLine</c>). Null for general admission. Callers encode it
/// like any other user string (section, row and labels come from the organizer's plan).
/// </summary>
public static class SeatText
{
    public static string? Line(IStringLocalizer localizer, string? section, string? row, string? label) =>
        string.IsNullOrWhiteSpace(label) ? null : localizer["Seating.SeatLine", section ?? "", row ?? "", label].Value;

    public static string? Line(IStringLocalizer localizer, SeatRefDto? seat) =>
        seat is null ? null : Line(localizer, seat.Section, seat.Row, seat.Label);

    public static SeatRefDto? Ref(Guid? id, string? section, string? row, string? label) =>
        id is { } seatId && label is not null ? new SeatRefDto(seatId, section ?? "", row ?? "", label) : null;
}
