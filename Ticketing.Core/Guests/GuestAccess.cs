using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Ticketing.Core.Common;
using Ticketing.Core.Persistence;

namespace Ticketing.Core.Guests;

/// <summary>
/// A guest order's access token: HMAC-SHA256 over the order id and the buyer's normalised address with a key kept by
/// <see cref="SecretStore"/> (the same on every instance), base64url. It is the guest's only credential: the API takes
/// it in the <c>Guest-Token</c> header, and the confirmation mail's link to the order page carries it. Stateless,
/// unguessable, bound to one order; any other value (altered, another order's, an account's order) is "not found".
/// </summary>
public sealed class GuestAccess(SecretStore secrets, IDbContextFactory<TicketingDbContext> dbFactory, IOptions<PublicSiteOptions> site,
    IStringLocalizer<SharedResource> localizer)
{
    private const string KeyName = "guest-order-key";
    /// <summary>The header that carries the token on <c>/api/guest/orders/{id}</c>.</summary>
    public const string Header = "Guest-Token";

    public async Task<string> TokenAsync(Guid orderId, string normalizedEmail, CancellationToken ct = default) =>
        Base64Url.EncodeToString(await MacAsync(orderId, normalizedEmail, ct));

    /// <summary>The order page's path: <c>/guest/orders/{id}/{token}</c>.</summary>
    public static string PagePath(Guid orderId, string token) => $"/guest/orders/{orderId}/{Uri.EscapeDataString(token)}";

    /// <summary>The absolute link of the order page (<c>App:PublicBaseUrl</c>).</summary>
    public string PageUrl(Guid orderId, string token) => site.Value.Link(PagePath(orderId, token));

    /// <summary>The page's absolute link for a guest order (null for an account's order), for the mails.</summary>
    public async Task<string?> PageUrlAsync(Guid orderId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var email = await db.Set<GuestBuyer>().AsNoTracking().Where(g => g.OrderId == orderId).Select(g => g.NormalizedEmail).FirstOrDefaultAsync(ct);
        return email is null ? null : PageUrl(orderId, await TokenAsync(orderId, email, ct));
    }

    /// <summary>
    /// The guest's id (<see cref="GuestKey"/>, the order's <c>UserId</c>) when <paramref name="token"/> is this guest order's;
    /// else 404, whatever was wrong.
    /// </summary>
    public async Task<Guid> VerifyAsync(Guid orderId, string? token, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 100) throw NotFound();
        byte[] mac;
        try { mac = Base64Url.DecodeFromChars(token); }
        catch (FormatException) { throw NotFound(); }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var email = await db.Set<GuestBuyer>().AsNoTracking().Where(g => g.OrderId == orderId).Select(g => g.NormalizedEmail).FirstOrDefaultAsync(ct);
        // An unknown order is checked against a MAC all the same: the answer takes as long either way.
        var expected = await MacAsync(orderId, email ?? "", ct);
        if (!CryptographicOperations.FixedTimeEquals(mac, expected) || email is null) throw NotFound();
        return GuestKey.For(email);
    }

    private async Task<byte[]> MacAsync(Guid orderId, string normalizedEmail, CancellationToken ct) =>
        HMACSHA256.HashData(await secrets.GetOrCreateKeyAsync(KeyName, null, 32, ct), Encoding.UTF8.GetBytes($"guest-order.v1|{orderId:N}|{normalizedEmail}"));

    private NotFoundException NotFound() => new(localizer["Error.not_found"]);
}
