using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Ticketing.Tests.Integration.Payments;

/// <summary>
/// Stripe's Checkout Sessions, refunds and signed webhooks, as far as the app uses them, on a <see cref="FakeStripeServer"/>:
/// POST /v1/checkout/sessions, GET /v1/checkout/sessions/{id}, POST /v1/checkout/sessions/{id}/expire, POST /v1/refunds.
/// <see cref="Pay"/> plays the fan paying on Stripe's page; <see cref="CompletedEvent"/> is the webhook Stripe then sends,
/// signed as Stripe signs (t=…,v1=hex HMAC-SHA256 of "t.payload" with the endpoint secret), computed here independently.
/// </summary>
public sealed class FakeStripeCheckout
{
    public sealed class Session
    {
        public required string Id { get; init; }
        public required string OrderId { get; init; }
        public required long Amount { get; init; }
        public required string Currency { get; init; }
        public required long ExpiresAt { get; init; }
        public required string SuccessUrl { get; init; }
        public string Status { get; set; } = "open";
        public string PaymentStatus { get; set; } = "unpaid";
        public string? PaymentIntent { get; set; }
    }

    private readonly string _webhookSecret;
    public ConcurrentDictionary<string, Session> Sessions { get; } = new();
    public ConcurrentQueue<(string PaymentIntent, long? Amount)> Refunds { get; } = new();

    public FakeStripeCheckout(FakeStripeServer server, string webhookSecret)
    {
        _webhookSecret = webhookSecret;
        server.Handle(Answer);
    }

    public Session Pay(string sessionId)
    {
        var session = Sessions[sessionId];
        session.Status = "complete";
        session.PaymentStatus = "paid";
        session.PaymentIntent = "pi_fake_" + Guid.NewGuid().ToString("N")[..16];
        return session;
    }

    public (string Payload, string Signature) CompletedEvent(string sessionId, DateTimeOffset at, string? eventId = null, string type = "checkout.session.completed")
    {
        var payload = JsonSerializer.Serialize(new
        {
            id = eventId ?? "evt_fake_" + Guid.NewGuid().ToString("N"),
            @object = "event",
            api_version = "2025-09-30.clover",
            created = at.ToUnixTimeSeconds(),
            livemode = false,
            type,
            data = new { @object = SessionJson(Sessions[sessionId]) },
        });
        return (payload, Sign(payload, _webhookSecret, at));
    }

    public static string Sign(string payload, string secret, DateTimeOffset at)
    {
        var t = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(t + "." + payload));
        return $"t={t},v1={Convert.ToHexStringLower(mac)}";
    }

    private (int, string)? Answer(RecordedStripeRequest r)
    {
        if (r is { Method: "POST", Path: "/v1/checkout/sessions" })
        {
            var session = new Session
            {
                Id = "cs_test_" + Guid.NewGuid().ToString("N"),
                OrderId = r.Form["client_reference_id"]!,
                Amount = long.Parse(r.Form["line_items[0][price_data][unit_amount]"]!, CultureInfo.InvariantCulture),
                Currency = r.Form["line_items[0][price_data][currency]"]!,
                ExpiresAt = long.Parse(r.Form["expires_at"]!, CultureInfo.InvariantCulture),
                SuccessUrl = r.Form["success_url"]!,
            };
            Sessions[session.Id] = session;
            return (200, JsonSerializer.Serialize(SessionJson(session)));
        }
        if (r.Path.StartsWith("/v1/checkout/sessions/", StringComparison.Ordinal))
        {
            var rest = r.Path["/v1/checkout/sessions/".Length..];
            var expire = rest.EndsWith("/expire", StringComparison.Ordinal);
            var id = expire ? rest[..^"/expire".Length] : rest;
            if (!Sessions.TryGetValue(id, out var session))
                return (404, "{\"error\":{\"type\":\"invalid_request_error\",\"code\":\"resource_missing\",\"message\":\"No such checkout.session\"}}");
            if (expire && r.Method == "POST")
            {
                if (session.Status != "open")
                    return (400, "{\"error\":{\"type\":\"invalid_request_error\",\"message\":\"Only open sessions can be expired.\"}}");
                session.Status = "expired";
            }
            return (200, JsonSerializer.Serialize(SessionJson(session)));
        }
        if (r is { Method: "POST", Path: "/v1/refunds" })
        {
            var amount = r.Form["amount"] is { } a ? long.Parse(a, CultureInfo.InvariantCulture) : (long?)null;
            Refunds.Enqueue((r.Form["payment_intent"]!, amount));
            return (200, JsonSerializer.Serialize(new
            {
                id = "re_fake_" + Guid.NewGuid().ToString("N")[..16], @object = "refund", status = "succeeded", amount, payment_intent = r.Form["payment_intent"],
            }));
        }
        return null;
    }

    private static Dictionary<string, object?> SessionJson(Session s) => new()
    {
        ["id"] = s.Id,
        ["object"] = "checkout.session",
        ["url"] = "https://checkout.stripe.com/c/pay/" + s.Id,
        ["mode"] = "payment",
        ["status"] = s.Status,
        ["payment_status"] = s.PaymentStatus,
        ["amount_total"] = s.Amount,
        ["currency"] = s.Currency,
        ["client_reference_id"] = s.OrderId,
        ["payment_intent"] = s.PaymentIntent,
        ["expires_at"] = s.ExpiresAt,
        ["success_url"] = s.SuccessUrl,
        ["metadata"] = new Dictionary<string, string> { ["order_id"] = s.OrderId },
    };
}
