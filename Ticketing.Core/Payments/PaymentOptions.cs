namespace Ticketing.Core.Payments;

/// <summary>Bound from "Payments".</summary>
public sealed class PaymentOptions
{
    public const string Section = "Payments";
    /// <summary><c>Simulated</c> (offline test cards) or <c>Stripe</c>.</summary>
    public string Provider { get; set; } = "Simulated";
    public SimulatedGatewayOptions Simulated { get; set; } = new();
}

public sealed class SimulatedGatewayOptions
{
    /// <summary>Artificial latency of each call (demos may raise it; load tests keep 0).</summary>
    public int DelayMilliseconds { get; set; }
    /// <summary>
    /// Where the simulated hosted page posts its signed webhook events; empty: this app's own
    /// <c>/api/payments/webhooks/stripe</c> at the origin the fan used.
    /// </summary>
    public string? WebhookUrl { get; set; }
}
