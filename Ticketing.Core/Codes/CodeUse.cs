namespace Ticketing.Core.Codes;

/// <summary>One use of a code: by one order (unique), of one account. Deleted (and the counter decremented) when the hold ends unpaid.</summary>
public sealed class CodeUse
{
    public Guid Id { get; set; }
    public Guid CodeId { get; set; }
    public Guid OrderId { get; set; }
    public Guid UserId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
