namespace Ticketing.Core.Receipts;

/// <summary>
/// The last number given per organizer, year and kind. Advanced only by one upsert inside the transaction that writes
/// the receipts (<see cref="ReceiptIssuer"/>): a rolled-back sale rolls its numbers back too, so the sequence has no gap.
/// </summary>
public sealed class ReceiptCounter
{
    public Guid OrganizerId { get; set; }
    public int Year { get; set; }
    public ReceiptKind Kind { get; set; }
    public int Last { get; set; }
}
