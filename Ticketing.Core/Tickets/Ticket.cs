namespace Ticketing.Core.Tickets;

public enum TicketStatus { Valid, Used, Voided }

public sealed class Ticket
{
    public Guid Id { get; set; }
    public Guid OrderId { get; set; }
    public Guid UserId { get; set; }
    public Guid EventId { get; set; }
    public Guid PerformanceId { get; set; }
    public Guid CategoryId { get; set; }
    /// <summary>Human-readable, unique: <c>PAR-0612-000123</c>.</summary>
    public string Number { get; set; } = "";
    public int Sequence { get; set; }
    public string CategoryName { get; set; } = "";
    public string HolderName { get; set; } = "";
    public long PriceMinor { get; set; }
    public string Currency { get; set; } = "EUR";
    public TicketStatus Status { get; set; }
    public DateTimeOffset IssuedAt { get; set; }
    public DateTimeOffset? UsedAt { get; set; }
    /// <summary>When the server learned of the admission: <see cref="UsedAt"/> for a live scan, the sync's time for an
    /// offline one (which may be hours after the holder came in). Webhooks scan this, so late syncs are not missed.</summary>
    public DateTimeOffset? AdmissionRecordedAt { get; set; }
    public DateTimeOffset? VoidedAt { get; set; }
    /// <summary>The door device that admitted the ticket (null: the organizer's own scan, or not admitted).</summary>
    public Guid? AdmittedByDeviceId { get; set; }
    /// <summary>The upper-cased address a transfer (or a comp) sent this ticket to: its holder once signed in with it, confirmed.</summary>
    public string? HolderEmail { get; set; }
    /// <summary>How many transfers led to this ticket (0: issued by the sale).</summary>
    public int TransferCount { get; set; }
    /// <summary>The voided ticket this one replaced by a transfer.</summary>
    public Guid? TransferredFromId { get; set; }
    /// <summary>On a ticket voided by a transfer: the ticket issued to the recipient.</summary>
    public Guid? TransferredToId { get; set; }
    /// <summary>Reserved seating: the seat of this ticket (a <c>PerformanceSeats</c> row) and its names; null for general admission.</summary>
    public Guid? SeatId { get; set; }
    public string? SeatSection { get; set; }
    public string? SeatRow { get; set; }
    public string? SeatLabel { get; set; }
}
