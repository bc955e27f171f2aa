using Ticketing.Core.Accounts;

namespace Ticketing.Core.Messages;

/// <summary>
/// One address a message went to: unique per message (<see cref="NormalizedEmail"/>: the upper-cased email, or
/// <c>SMS:</c> and the number for a reschedule's text message), so an address holding several tickets gets the message
/// once. Its id stands in the order's place on the outbox row.
/// </summary>
public sealed class AttendeeMessageRecipient
{
    public Guid Id { get; set; }
    public Guid MessageId { get; set; }
    public Guid UserId { get; set; }
    public string NormalizedEmail { get; set; } = "";
    public string Name { get; set; } = "";
    public string Language { get; set; } = "en";
    public NotificationChannel Channel { get; set; }
}
