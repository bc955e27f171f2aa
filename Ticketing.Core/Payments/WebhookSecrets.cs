using Microsoft.Extensions.Options;
using Ticketing.Core.Common;

namespace Ticketing.Core.Payments;

/// <summary>
/// The webhook signing secret: <c>Payments:Stripe:WebhookSecret</c> when set (required with Stripe); with the simulated
/// provider and no secret configured, one generated once and kept (encrypted) in the database, shared by every instance.
/// </summary>
public sealed class WebhookSecrets(IOptions<StripeOptions> stripe, SecretStore secrets)
{
    public async Task<string> GetAsync(CancellationToken ct = default)
    {
        if (!string.IsNullOrWhiteSpace(stripe.Value.WebhookSecret)) return stripe.Value.WebhookSecret;
        var key = await secrets.GetOrCreateKeyAsync("simulated-webhook-secret", null, 32, ct);
        return "whsec_" + Convert.ToBase64String(key);
    }
}
