using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Ticketing.Core.Common;
using Ticketing.Core.Persistence;

namespace Ticketing.Core.Payments;

/// <summary>What the simulated hosted page shows.</summary>
public sealed record SimulatedPageModel(string SessionId, Guid OrderId, string EventTitle, long AmountMinor, string Currency, CheckoutSessionStatus Status);

public enum SimulatedPayStep { Paid, ChallengeRequired, Declined, Closed }

/// <summary>
/// The outcome of a step on the simulated page; when paid, the signed <c>checkout.session.completed</c> event to post to our
/// webhook endpoint (<see cref="WebhookPayload"/> and its <c>Stripe-Signature</c> header).
/// </summary>
public sealed record SimulatedPayResult(SimulatedPayStep Step, string? DeclineCode = null, string? WebhookPayload = null, string? WebhookSignature = null);

/// <summary>
/// The simulated provider's side of the hosted page (a test page: never for real cards). The card goes to the simulated
/// acquirer (<see cref="SimulatedPaymentGateway"/>, which keeps only brand and last four); the page then tells our webhook
/// endpoint, with an event signed exactly as Stripe signs, as Stripe would. <see cref="ThreeDSecureCard"/> asks for a
/// 3-D Secure challenge first (approve: charged; fail: declined, nothing charged).
/// </summary>
public sealed class SimulatedPaymentPage(
    IDbContextFactory<TicketingDbContext> dbFactory,
    SimulatedPaymentGateway acquirer,
    WebhookSecrets secrets,
    TimeProvider clock,
    ILogger<SimulatedPaymentPage> logger)
{
    /// <summary>Stripe's "3-D Secure required" test card.</summary>
    public const string ThreeDSecureCard = "4000002760003184";

    public async Task<SimulatedPageModel?> GetAsync(string sessionId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await (
                from s in db.CheckoutSessions.AsNoTracking()
                where s.Id == sessionId && s.Provider == "simulated"
                join o in db.Orders on s.OrderId equals o.Id
                join e in db.Events on o.EventId equals e.Id
                select new SimulatedPageModel(s.Id, s.OrderId, e.Title, s.AmountMinor, s.Currency, s.Status))
            .FirstOrDefaultAsync(ct);
    }

    public async Task<SimulatedPayResult> SubmitCardAsync(string sessionId, CardDetails card, CancellationToken ct = default)
    {
        var page = await GetAsync(sessionId, ct);
        if (page is not { Status: CheckoutSessionStatus.Open }) return new SimulatedPayResult(SimulatedPayStep.Closed);
        if (CardValidator.Check(card, clock.GetUtcNow()) is null && CardValidator.Digits(card.Number) == ThreeDSecureCard)
            return new SimulatedPayResult(SimulatedPayStep.ChallengeRequired);
        return await ChargeAsync(page, card, ct);
    }

    /// <summary>The 3-D Secure challenge's answer: approve charges the challenge card, fail declines (nothing charged).</summary>
    public async Task<SimulatedPayResult> CompleteChallengeAsync(string sessionId, bool approve, CancellationToken ct = default)
    {
        var page = await GetAsync(sessionId, ct);
        if (page is not { Status: CheckoutSessionStatus.Open }) return new SimulatedPayResult(SimulatedPayStep.Closed);
        if (!approve)
        {
            logger.LogInformation("Simulated 3-D Secure challenge failed for session {SessionId}", sessionId);
            return new SimulatedPayResult(SimulatedPayStep.Declined, "card_declined");
        }
        var now = clock.GetUtcNow();
        return await ChargeAsync(page, new CardDetails(ThreeDSecureCard, 12, now.Year + 1, "123", "3-D Secure"), ct);
    }

    private async Task<SimulatedPayResult> ChargeAsync(SimulatedPageModel page, CardDetails card, CancellationToken ct)
    {
        // Each attempt its own key (a decline then another card is a new charge); the acquirer never charges an order twice.
        var charge = await acquirer.ChargeAsync(new ChargeRequest(page.OrderId, page.AmountMinor, page.Currency, card,
            $"Order {page.OrderId:N}", page.SessionId + ":" + Guid.NewGuid().ToString("N")), ct);
        if (!charge.Approved) return new SimulatedPayResult(SimulatedPayStep.Declined, charge.DeclineCode ?? "card_declined");
        var (payload, signature) = await CompletedEventAsync(page, charge.GatewayReference!, ct);
        return new SimulatedPayResult(SimulatedPayStep.Paid, null, payload, signature);
    }

    /// <summary>A <c>checkout.session.completed</c> event shaped like Stripe's, signed with the webhook secret.</summary>
    public async Task<(string Payload, string Signature)> CompletedEventAsync(SimulatedPageModel page, string paymentReference, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var payload = JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["id"] = "evt_sim_" + Guid.NewGuid().ToString("N"),
            ["object"] = "event",
            ["api_version"] = "2025-09-30.clover",
            ["created"] = now.ToUnixTimeSeconds(),
            ["livemode"] = false,
            ["type"] = "checkout.session.completed",
            ["data"] = new Dictionary<string, object?>
            {
                ["object"] = new Dictionary<string, object?>
                {
                    ["id"] = page.SessionId,
                    ["object"] = "checkout.session",
                    ["client_reference_id"] = page.OrderId.ToString("D"),
                    ["amount_total"] = Currencies.ToCurrencyMinorUnits(page.AmountMinor, page.Currency),
                    ["currency"] = page.Currency.ToLower(CultureInfo.InvariantCulture),
                    ["mode"] = "payment",
                    ["status"] = "complete",
                    ["payment_status"] = "paid",
                    ["payment_intent"] = paymentReference,
                    ["metadata"] = new Dictionary<string, string> { ["order_id"] = page.OrderId.ToString("D") },
                },
            },
        });
        return (payload, StripeSignature.Header(payload, await secrets.GetAsync(ct), now));
    }
}
