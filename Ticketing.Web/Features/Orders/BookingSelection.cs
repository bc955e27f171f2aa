using System.Globalization;

namespace Ticketing.Web.Features.Orders;

/// <summary>
/// The fan's choice on the event page (date and quantities) as it travels through sign-in and registration:
/// <c>/events/{id}/{slug}?date={performanceId}&amp;sel={categoryId}:{quantity},...#booking</c> in the returnUrl.
/// </summary>
public static class BookingSelection
{
    private const int MaxEntries = 20;

    public static string ReturnUrl(string eventPath, Guid performanceId, IReadOnlyDictionary<Guid, int> quantities)
    {
        var chosen = quantities.Where(q => q.Value > 0).Select(q => $"{q.Key:N}:{q.Value.ToString(CultureInfo.InvariantCulture)}").ToList();
        var url = $"{eventPath}?date={performanceId}";
        if (chosen.Count > 0) url += "&sel=" + Uri.EscapeDataString(string.Join(',', chosen));
        return url + "#booking";
    }

    /// <summary>Reads <c>sel</c>; anything malformed is ignored (it comes from a URL anyone can edit).</summary>
    public static IReadOnlyList<(Guid CategoryId, int Quantity)> Parse(string? selection)
    {
        if (string.IsNullOrWhiteSpace(selection) || selection.Length > 1000) return [];
        var result = new List<(Guid, int)>();
        foreach (var part in selection.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Take(MaxEntries))
        {
            var pair = part.Split(':');
            if (pair.Length == 2 && Guid.TryParse(pair[0], out var id)
                && int.TryParse(pair[1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is > 0 and <= 100
                && result.All(r => r.Item1 != id))
                result.Add((id, n));
        }
        return result;
    }
}
