namespace Ticketing.Core.Payments;

/// <summary>Bound from the configuration section "Payments:Stripe".</summary>
public sealed class StripeOptions
{
    public const string SectionName = "Payments:Stripe";

    /// <summary>Stripe secret key (sk_test_… / sk_live_… or a restricted rk_… key). Never log it.</summary>
    public string SecretKey { get; set; } = "";

    /// <summary>Optional API base URL override (tests point it at a local server). Null/empty = https://api.stripe.com.</summary>
    public string? ApiBase { get; set; }

    /// <summary>Automatic retries on network errors / 409 / 5xx. Stripe.net reuses the same Idempotency-Key on each retry.</summary>
    public int MaxNetworkRetries { get; set; } = 2;

    /// <summary>The webhook endpoint's signing secret (whsec_…): every event posted to /api/payments/webhooks/stripe is verified with it.</summary>
    public string WebhookSecret { get; set; } = "";
}
