using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Ticketing.Core.Payments;

/// <summary>
/// Signs a webhook payload exactly as Stripe does: <c>Stripe-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256 of
/// "t.payload" keyed with the endpoint secret&gt;</c>. The simulated provider signs its events with it; the endpoint verifies
/// every event (simulated or real) with Stripe.net's <c>EventUtility.ConstructEvent</c>.
/// </summary>
public static class StripeSignature
{
    public static string Header(string payload, string secret, DateTimeOffset at)
    {
        var t = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(t + "." + payload));
        return $"t={t},v1={Convert.ToHexStringLower(mac)}";
    }
}
