using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;
using Ticketing.Core.Common;
using Ticketing.Core.Events;
using Ticketing.Core.Persistence;

namespace Ticketing.Core.Codes;

/// <summary>Access codes (presales) and promo codes of an event: created, listed and disabled by its owner or an Admin.</summary>
public sealed class EventCodeService(
    IDbContextFactory<TicketingDbContext> dbFactory,
    IStringLocalizer<SharedResource> localizer,
    TimeProvider clock,
    ILogger<EventCodeService> logger)
{
    public async Task<AccessCodeDto> CreateAccessCodeAsync(Guid eventId, Actor actor, CreateAccessCodeRequest? request, CancellationToken ct = default)
    {
        if (request is null) throw new RequestValidationException(new Validator(localizer).Add("body", "Validation.Required").Errors);
        var code = new EventCode { Kind = EventCodeKind.Access };
        var saved = await CreateAsync(eventId, actor, code, request.Code, request.MaxUses, request.MaxUsesPerAccount, request.CategoryIds,
            request.ValidFrom, request.ValidTo, null, ct);
        return ToAccessDto(saved);
    }

    public async Task<PromoCodeDto> CreatePromoCodeAsync(Guid eventId, Actor actor, CreatePromoCodeRequest? request, CancellationToken ct = default)
    {
        if (request is null) throw new RequestValidationException(new Validator(localizer).Add("body", "Validation.Required").Errors);
        var code = new EventCode { Kind = EventCodeKind.Promo };
        var saved = await CreateAsync(eventId, actor, code, request.Code, request.MaxUses, request.MaxUsesPerAccount, request.CategoryIds,
            request.ValidFrom, request.ValidTo, (v, currency) =>
            {
                if (request.Percent.HasValue == request.Amount.HasValue)
                {
                    v.Add("percent", "Codes.Validation.PercentOrAmount");
                    return;
                }
                if (request.Percent is { } percent)
                {
                    if (percent <= 0 || percent > 100 || decimal.Round(percent, 2) != percent) v.Add("percent", "Codes.Validation.Percent");
                    else { code.Discount = DiscountKind.Percent; code.PercentBasisPoints = (int)(percent * 100); }
                }
                else
                {
                    var amount = request.Amount!.Value;
                    if (amount <= 0 || amount > 1_000_000 || decimal.Round(amount, Currencies.DecimalsOf(currency)) != amount)
                        v.Add("amount", "Codes.Validation.Amount", Currencies.DecimalsOf(currency));
                    else { code.Discount = DiscountKind.Amount; code.AmountMinor = Money.ToMinor(amount); code.Currency = currency; }
                }
            }, ct);
        return ToPromoDto(saved);
    }

    public async Task<PagedResult<AccessCodeDto>> ListAccessCodesAsync(Guid eventId, Actor actor, PageRequest page, CancellationToken ct = default)
    {
        var (items, total) = await ListAsync(eventId, actor, EventCodeKind.Access, page, ct);
        return new PagedResult<AccessCodeDto>(items.Select(ToAccessDto).ToList(), page.Page, page.PageSize, total);
    }

    public async Task<PagedResult<PromoCodeDto>> ListPromoCodesAsync(Guid eventId, Actor actor, PageRequest page, CancellationToken ct = default)
    {
        var (items, total) = await ListAsync(eventId, actor, EventCodeKind.Promo, page, ct);
        return new PagedResult<PromoCodeDto>(items.Select(ToPromoDto).ToList(), page.Page, page.PageSize, total);
    }

    public async Task<AccessCodeDto> DisableAccessCodeAsync(Guid eventId, Guid codeId, Actor actor, CancellationToken ct = default) =>
        ToAccessDto(await DisableAsync(eventId, codeId, EventCodeKind.Access, actor, ct));

    public async Task<PromoCodeDto> DisablePromoCodeAsync(Guid eventId, Guid codeId, Actor actor, CancellationToken ct = default) =>
        ToPromoDto(await DisableAsync(eventId, codeId, EventCodeKind.Promo, actor, ct));

    private async Task<EventCode> CreateAsync(Guid eventId, Actor actor, EventCode code, string? text, int maxUses, int? maxUsesPerAccount,
        IReadOnlyList<Guid>? categoryIds, DateTimeOffset? validFrom, DateTimeOffset? validTo, Action<Validator, string>? more, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ev = await EventAccess.GetManageableAsync(db, eventId, actor, ct);
        var categories = await db.PriceCategories.AsNoTracking().Where(c => c.Performance!.EventId == eventId)
            .Select(c => new { c.Id, c.Currency }).ToListAsync(ct);
        var v = new Validator(localizer);
        if (!CodeText.IsValid(text)) v.Add("code", "Codes.Validation.Code", EventCode.CodeMaxLength);
        v.Require(maxUses is >= 1 and <= EventCode.MaxUsesLimit, "maxUses", "Codes.Validation.MaxUses", EventCode.MaxUsesLimit);
        v.Require(maxUsesPerAccount is null or >= 1 and <= EventCode.MaxUsesLimit, "maxUsesPerAccount", "Codes.Validation.MaxUses", EventCode.MaxUsesLimit);
        var ids = (categoryIds ?? []).Distinct().ToList();
        v.Require(ids.Count <= 100, "categoryIds", "Validation.TooMany", 100);
        v.Require(ids.All(id => categories.Any(c => c.Id == id)), "categoryIds", "Validation.UnknownCategory");
        v.Require(validFrom is null || validTo is null || validTo > validFrom, "validTo", "Validation.DateRange");
        more?.Invoke(v, categories.Select(c => c.Currency).FirstOrDefault() ?? Currencies.Default);
        v.ThrowIfInvalid();

        var normalized = CodeText.Normalize(text);
        if (await db.EventCodes.AnyAsync(c => c.EventId == eventId && c.Kind == code.Kind && c.NormalizedCode == normalized, ct))
            throw new RequestValidationException(v.Add("code", "Codes.Validation.Taken").Errors);
        code.Id = Guid.CreateVersion7();
        code.EventId = ev.Id;
        code.Code = text!.Trim();
        code.NormalizedCode = normalized;
        code.MaxUses = maxUses;
        code.MaxUsesPerAccount = maxUsesPerAccount;
        code.CategoryIds = ids;
        code.ValidFrom = validFrom?.ToUniversalTime();
        code.ValidTo = validTo?.ToUniversalTime();
        code.CreatedAt = clock.GetUtcNow();
        code.CreatedBy = actor.UserId;
        db.EventCodes.Add(code);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (DatabaseErrors.IsUniqueViolation(e))
        {
            throw new RequestValidationException(new Validator(localizer).Add("code", "Codes.Validation.Taken").Errors);
        }
        logger.LogInformation("{Kind} code {CodeId} created for event {EventId} by {UserId}", code.Kind, code.Id, eventId, actor.UserId);
        return code;
    }

    private async Task<(List<EventCode> Items, int Total)> ListAsync(Guid eventId, Actor actor, EventCodeKind kind, PageRequest page, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await EventAccess.GetManageableAsync(db, eventId, actor, ct);
        var query = db.EventCodes.AsNoTracking().Where(c => c.EventId == eventId && c.Kind == kind);
        var total = await query.CountAsync(ct);
        var items = await query.OrderByDescending(c => c.CreatedAt).ThenBy(c => c.Id).Skip(page.Skip).Take(page.PageSize).ToListAsync(ct);
        return (items, total);
    }

    private async Task<EventCode> DisableAsync(Guid eventId, Guid codeId, EventCodeKind kind, Actor actor, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await EventAccess.GetManageableAsync(db, eventId, actor, ct);
        var now = clock.GetUtcNow();
        await db.EventCodes.Where(c => c.Id == codeId && c.EventId == eventId && c.Kind == kind && c.DisabledAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.DisabledAt, now), ct);
        var code = await db.EventCodes.AsNoTracking().FirstOrDefaultAsync(c => c.Id == codeId && c.EventId == eventId && c.Kind == kind, ct)
                   ?? throw new NotFoundException(localizer["Error.not_found"]);
        logger.LogInformation("{Kind} code {CodeId} of event {EventId} disabled by {UserId}", kind, codeId, eventId, actor.UserId);
        return code;
    }

    internal static AccessCodeDto ToAccessDto(EventCode c) => new(c.Id, c.EventId, c.Code, c.MaxUses, c.Uses, c.MaxUsesPerAccount, c.CategoryIds,
        c.ValidFrom, c.ValidTo, c.DisabledAt is not null, c.CreatedAt);

    internal static PromoCodeDto ToPromoDto(EventCode c) => new(c.Id, c.EventId, c.Code, c.Discount?.ToString() ?? "",
        c.PercentBasisPoints is { } bp ? bp / 100m : null, c.AmountMinor is { } a ? Money.ToDecimal(a) : null, c.Currency,
        c.MaxUses, c.Uses, c.MaxUsesPerAccount, c.CategoryIds, c.ValidFrom, c.ValidTo, c.DisabledAt is not null, c.CreatedAt);
}
