namespace Ticketing.Core.Codes;

/// <summary>
/// A code of one event, typed at checkout: an access code (presale: hidden categories, buying before the sale opens) or
/// a promo code (a discount). Its uses are counted exactly by <see cref="CodeUses"/>: <see cref="Uses"/> never goes above
/// <see cref="MaxUses"/> (conditional UPDATE), and every use is a <see cref="CodeUse"/> row of one order.
/// </summary>
public sealed class EventCode
{
    public const int CodeMaxLength = 40;
    public const int MaxUsesLimit = 1_000_000;

    public Guid Id { get; set; }
    public Guid EventId { get; set; }
    public EventCodeKind Kind { get; set; }
    /// <summary>As the organizer typed it (trimmed), for display.</summary>
    public string Code { get; set; } = "";
    /// <summary>Upper-case, no spaces (<see cref="CodeText.Normalize"/>): unique per event and kind.</summary>
    public string NormalizedCode { get; set; } = "";
    public int MaxUses { get; set; }
    /// <summary>Orders holding or having used the code (a hold that ends gives its use back).</summary>
    public int Uses { get; set; }
    /// <summary>Uses one account may have (null: no limit).</summary>
    public int? MaxUsesPerAccount { get; set; }
    /// <summary>The categories the code concerns (empty: every category of the event).</summary>
    public List<Guid> CategoryIds { get; set; } = [];
    public DateTimeOffset? ValidFrom { get; set; }
    public DateTimeOffset? ValidTo { get; set; }
    public DateTimeOffset? DisabledAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public Guid CreatedBy { get; set; }
    /// <summary>Promo codes only.</summary>
    public DiscountKind? Discount { get; set; }
    /// <summary>Percent promo: the share of each ticket's price taken off, in basis points (1 250 = 12.5 %).</summary>
    public int? PercentBasisPoints { get; set; }
    /// <summary>Amount promo: taken off each ticket's price (never below 0), in minor units of <see cref="Currency"/>.</summary>
    public long? AmountMinor { get; set; }
    public string? Currency { get; set; }

    public bool Covers(Guid categoryId) => CategoryIds.Count == 0 || CategoryIds.Contains(categoryId);
}
