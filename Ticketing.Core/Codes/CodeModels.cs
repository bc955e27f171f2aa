namespace Ticketing.Core.Codes;

/// <summary><c>POST /api/events/{id}/access-codes</c>.</summary>
public sealed record CreateAccessCodeRequest(string? Code, int MaxUses, IReadOnlyList<Guid>? CategoryIds = null,
    DateTimeOffset? ValidFrom = null, DateTimeOffset? ValidTo = null, int? MaxUsesPerAccount = null);

/// <summary><c>POST /api/events/{id}/promo-codes</c>: <c>percent</c> (0 &lt; p ≤ 100) or <c>amount</c> (off each ticket, in the event's currency).</summary>
public sealed record CreatePromoCodeRequest(string? Code, int MaxUses, decimal? Percent = null, decimal? Amount = null,
    IReadOnlyList<Guid>? CategoryIds = null, DateTimeOffset? ValidFrom = null, DateTimeOffset? ValidTo = null, int? MaxUsesPerAccount = null);

public sealed record AccessCodeDto(Guid Id, Guid EventId, string Code, int MaxUses, int Uses, int? MaxUsesPerAccount,
    IReadOnlyList<Guid> CategoryIds, DateTimeOffset? ValidFrom, DateTimeOffset? ValidTo, bool Disabled, DateTimeOffset CreatedAt);

public sealed record PromoCodeDto(Guid Id, Guid EventId, string Code, string Kind, decimal? Percent, decimal? Amount, string? Currency,
    int MaxUses, int Uses, int? MaxUsesPerAccount, IReadOnlyList<Guid> CategoryIds, DateTimeOffset? ValidFrom, DateTimeOffset? ValidTo,
    bool Disabled, DateTimeOffset CreatedAt);

/// <summary>The codes an order carries once checked (<see cref="OrderCodes"/>): counted when the hold is written.</summary>
public sealed record AppliedCodes(EventCode? Access, EventCode? Promo)
{
    public static readonly AppliedCodes None = new(null, null);
    public bool Any => Access is not null || Promo is not null;
    public IReadOnlyList<EventCode> ToClaim => new[] { Access, Promo }.OfType<EventCode>().ToList();
}
