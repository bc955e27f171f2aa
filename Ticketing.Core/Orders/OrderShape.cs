using Microsoft.Extensions.Localization;
using Ticketing.Core.Common;
using Ticketing.Core.Events;

namespace Ticketing.Core.Orders;

/// <summary>
/// The shape of an order's lines, in one place: at most <see cref="MaxLines"/> lines, each naming a category with a
/// quantity from 1 to <see cref="MaxQuantity"/>, and at most <see cref="MaxQuantity"/> seats in all (the same category
/// twice is one line). Checked by <see cref="OrderService"/> and the box office (validation errors), and by the sold-out
/// memory's fast path (<see cref="SoldOutCache.IsKnownSoldOut"/>: only a well-formed order is answered from memory, so
/// validation errors keep their precedence).
/// </summary>
public static class OrderShape
{
    public const int MaxLines = 20;

    /// <summary>More than this in one line or in one order is not a real purchase.</summary>
    public const int MaxQuantity = Event.MaxTicketsPerOrderLimit;

    public static bool IsQuantityValid(int quantity) => quantity is > 0 and <= MaxQuantity;

    /// <summary>What <see cref="Check"/> and <see cref="Merge"/> accept, without a message (no allocation).</summary>
    public static bool IsWellFormed(PlaceOrderRequest? request)
    {
        if (request is null || request.PerformanceId == Guid.Empty || request.Items is not { Count: > 0 and <= MaxLines } lines) return false;
        var total = 0;
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            if (line is null || line.CategoryId == Guid.Empty || !IsQuantityValid(line.Quantity)) return false;
            total += line.Quantity;
        }
        return total <= MaxQuantity;
    }

    /// <summary>The lines' validation errors (present, not too many, each with a category and a quantity), into <paramref name="v"/>.</summary>
    public static void Check(Validator v, IReadOnlyList<PlaceOrderItem?>? lines)
    {
        if (lines is not { Count: > 0 })
        {
            v.Add("items", "Validation.Required");
            return;
        }
        v.Require(lines.Count <= MaxLines, "items", "Validation.TooManyLines");
        for (var i = 0; i < lines.Count; i++)
        {
            if (lines[i] is not { } line) { v.Add($"items[{i}]", "Validation.Required"); continue; }
            v.Require(line.CategoryId != Guid.Empty, $"items[{i}].categoryId", "Validation.Required");
            v.Require(IsQuantityValid(line.Quantity), $"items[{i}].quantity", "Validation.Quantity", MaxQuantity);
        }
    }

    /// <summary>Checked lines, one per category (in id order); more than <see cref="MaxQuantity"/> seats in all is <c>purchase_limit_exceeded</c>.</summary>
    public static List<PlaceOrderItem> Merge(IEnumerable<PlaceOrderItem> lines, IStringLocalizer localizer)
    {
        var merged = lines.GroupBy(l => l.CategoryId).Select(g => new PlaceOrderItem(g.Key, g.Sum(l => l.Quantity)))
            .OrderBy(l => l.CategoryId).ToList();
        if (merged.Sum(l => l.Quantity) > MaxQuantity)
            throw new DomainException(ErrorCodes.PurchaseLimitExceeded, localizer["Error.purchase_limit_exceeded"]);
        return merged;
    }
}
