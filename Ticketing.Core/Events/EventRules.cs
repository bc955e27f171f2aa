using System.Text.RegularExpressions;
using Ticketing.Core.Common;

namespace Ticketing.Core.Events;

/// <summary>What an update must know about the stored event to validate ids and dates already in the past.</summary>
/// <param name="Seated">The date sells numbered seats (fixed when it was created: shown, not editable).</param>
public sealed record ExistingPerformance(DateTimeOffset StartsAt, IReadOnlySet<Guid> CategoryIds, bool Seated = false);

/// <summary>
/// Field validation of an event (pure, no I/O): used by <see cref="EventService"/> before any write and by the organizer form
/// for instant feedback. Field names are the JSON paths of the API body (<c>performances[0].categories[1].price</c>).
/// </summary>
public static partial class EventRules
{
    public const int MaxPerformances = 200;
    public const int MaxCategoriesPerPerformance = 20;
    public const int MaxCapacity = 1_000_000;
    public const decimal MaxPrice = 100_000m;

    public static EventCategory? ParseCategory(string? value) =>
        !string.IsNullOrWhiteSpace(value) && !value.Trim().All(char.IsDigit) && Enum.TryParse<EventCategory>(value.Trim(), true, out var c)
            && Enum.IsDefined(c) ? c : null;

    /// <summary>Adds every field error of <paramref name="input"/> to <paramref name="v"/>.</summary>
    /// <param name="existing">On update: the stored performances by id (unknown ids are errors; unchanged past dates are allowed).</param>
    public static void Validate(Validator v, EventInput input, DateTimeOffset now, IReadOnlyDictionary<Guid, ExistingPerformance>? existing = null)
    {
        v.Text("title", input.Title, 200, required: true);
        v.Text("description", input.Description, 8000, required: true, multiLine: true);
        v.Text("descriptionFr", input.DescriptionFr, 8000, multiLine: true);
        v.Text("artist", input.Artist, 200);

        if (string.IsNullOrWhiteSpace(input.Category)) v.Add("category", "Validation.Required");
        else if (ParseCategory(input.Category) is null) v.Add("category", "Validation.UnknownEventCategory", input.Category);

        if (!string.IsNullOrWhiteSpace(input.ImageUrl))
        {
            var url = input.ImageUrl.Trim();
            if (url.Length > 500) v.Add("imageUrl", "Validation.MaxLength", 500);
            else if (UserText.Check(url) != TextProblem.None || !IsSafeImageUrl(url)) v.Add("imageUrl", "Validation.ImageUrl");
        }

        if (input.MaxTicketsPerOrder is int max && (max < 1 || max > Event.MaxTicketsPerOrderLimit))
            v.Add("maxTicketsPerOrder", "Validation.MaxTicketsPerOrder", Event.MaxTicketsPerOrderLimit);
        if (input.MaxTicketsPerAccount is int perAccount && (perAccount < 1 || perAccount > Event.MaxTicketsPerAccountLimit))
            v.Add("maxTicketsPerAccount", "Validation.MaxTicketsPerAccount", Event.MaxTicketsPerAccountLimit);
        if (input.MaxTicketsPerAccountPerCategory is int perCategory && (perCategory < 1 || perCategory > Event.MaxTicketsPerAccountLimit))
            v.Add("maxTicketsPerAccountPerCategory", "Validation.MaxTicketsPerAccount", Event.MaxTicketsPerAccountLimit);
        var eventCurrency = EventCurrency(input);
        if (input.BookingFee is decimal fee && (fee < 0 || fee > MaxPrice || decimal.Round(fee, Currencies.DecimalsOf(eventCurrency)) != fee))
            v.Add("bookingFee", "Validation.BookingFee", MaxPrice);

        var performances = input.Performances ?? [];
        if (performances.Count == 0) v.Add("performances", "Validation.PerformanceRequired");
        if (performances.Count > MaxPerformances) v.Add("performances", "Validation.TooMany", MaxPerformances);
        var seenPerformanceIds = new HashSet<Guid>();
        for (var i = 0; i < performances.Count; i++)
        {
            var p = performances[i];
            var f = $"performances[{i}]";
            if (p is null) { v.Add(f, "Validation.Required"); continue; }
            ExistingPerformance? stored = null;
            if (p.Id is Guid pid)
            {
                if (existing is null || !existing.TryGetValue(pid, out stored) || !seenPerformanceIds.Add(pid))
                    v.Add($"{f}.id", "Validation.UnknownItem");
            }

            if (p.StartsAt is null) v.Add($"{f}.startsAt", "Validation.Required");
            else if (p.StartsAt <= now && (stored is null || stored.StartsAt != p.StartsAt))
                v.Add($"{f}.startsAt", "Validation.InThePast");

            v.Text($"{f}.venue.name", p.Venue?.Name, 200, required: true);
            v.Text($"{f}.venue.city", p.Venue?.City, 120, required: true);
            v.Text($"{f}.venue.address", p.Venue?.Address, 300);
            if (!string.IsNullOrWhiteSpace(p.Venue?.Country) && !CountryRegex().IsMatch(p.Venue.Country.Trim()))
                v.Add($"{f}.venue.country", "Validation.Country");

            if (p.SalesOpenAt is { } open && p.SalesCloseAt is { } close && close <= open)
                v.Add($"{f}.salesCloseAt", "Validation.SalesWindow");
            if (p.SalesOpenAt is { } open2 && p.StartsAt is { } starts && open2 >= starts)
                v.Add($"{f}.salesOpenAt", "Validation.SalesOpenAfterStart");

            var categories = p.Categories ?? [];
            if (categories.Count == 0) v.Add($"{f}.categories", "Validation.CategoryRequired");
            if (categories.Count > MaxCategoriesPerPerformance) v.Add($"{f}.categories", "Validation.TooMany", MaxCategoriesPerPerformance);
            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var seenCategoryIds = new HashSet<Guid>();
            for (var j = 0; j < categories.Count; j++)
            {
                var c = categories[j];
                var cf = $"{f}.categories[{j}]";
                if (c is null) { v.Add(cf, "Validation.Required"); continue; }
                if (c.Id is Guid cid && (stored is null || !stored.CategoryIds.Contains(cid) || !seenCategoryIds.Add(cid)))
                    v.Add($"{cf}.id", "Validation.UnknownItem");
                v.Text($"{cf}.name", c.Name, 100, required: true);
                if (!string.IsNullOrWhiteSpace(c.Name) && !names.Add(c.Name.Trim())) v.Add($"{cf}.name", "Validation.DuplicateName");

                if (c.Price is null) v.Add($"{cf}.price", "Validation.Required");
                else if (c.Price < 0) v.Add($"{cf}.price", "Validation.NegativePrice");
                else if (c.Price > MaxPrice) v.Add($"{cf}.price", "Validation.PriceTooHigh", MaxPrice);
                else if (decimal.Round(c.Price.Value, Currencies.DecimalsOf(c.Currency)) != c.Price.Value)
                    v.Add($"{cf}.price", "Validation.PriceDecimalsOfCurrency", Currencies.DecimalsOf(c.Currency), Currencies.Normalize(c.Currency));

                if (!Currencies.IsSupported(c.Currency)) v.Add($"{cf}.currency", "Validation.Currency");
                else if (Currencies.Normalize(c.Currency) != eventCurrency) v.Add($"{cf}.currency", "Validation.OneCurrency", eventCurrency);

                if (c.VatRate is decimal rate && (rate < 0 || rate > 100 || decimal.Round(rate, 2) != rate))
                    v.Add($"{cf}.vatRate", "Validation.VatRate");

                if (c.Capacity is null) v.Add($"{cf}.capacity", "Validation.Required");
                else if (c.Capacity < 1 || c.Capacity > MaxCapacity) v.Add($"{cf}.capacity", "Validation.Capacity", MaxCapacity);
            }
        }
    }

    /// <summary>The event's currency: its first category's (every category must share it), EUR when none is given.</summary>
    public static string EventCurrency(EventInput input) =>
        Currencies.Normalize(input.Performances?.Where(p => p?.Categories is not null).SelectMany(p => p.Categories!)
            .FirstOrDefault(c => c is not null)?.Currency);

    /// <summary>The first currency of <paramref name="input"/> that is not an active ISO 4217 code, with its field, or null.</summary>
    public static (string Field, string Code)? UnsupportedCurrency(EventInput input)
    {
        var performances = input.Performances ?? [];
        for (var i = 0; i < performances.Count; i++)
        {
            var categories = performances[i]?.Categories ?? [];
            for (var j = 0; j < categories.Count; j++)
            {
                if (categories[j] is { } c && !Currencies.IsSupported(c.Currency))
                    return ($"performances[{i}].categories[{j}].currency", c.Currency!.Trim());
            }
        }
        return null;
    }

    /// <summary>Relative paths of our own images (<c>/img/...</c>, <c>/media/...</c>) or https addresses; never <c>javascript:</c> or <c>data:</c>.</summary>
    public static bool IsSafeImageUrl(string url) =>
        (url.StartsWith('/') && !url.StartsWith("//") && !url.Contains('\\') && !url.Contains(".."))
        || (Uri.TryCreate(url, UriKind.Absolute, out var u) && u.Scheme == Uri.UriSchemeHttps);

    [GeneratedRegex("^[A-Za-z]{2}$")] private static partial Regex CountryRegex();
}
