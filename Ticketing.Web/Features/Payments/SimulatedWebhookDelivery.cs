using System.Text;
using Microsoft.Extensions.Options;
using Ticketing.Core.Payments;

namespace Ticketing.Web.Features.Payments;

/// <summary>
/// The simulated provider's webhook sender: posts the signed event to our webhook endpoint over HTTP, as Stripe would, so
/// that every demo and test goes through the same endpoint. A failed delivery is only logged: the reconciliation job asks
/// the (simulated) provider later, as it would Stripe.
/// </summary>
public sealed class SimulatedWebhookDelivery(IHttpClientFactory clients, IOptions<PaymentOptions> options, ILogger<SimulatedWebhookDelivery> logger)
{
    public const string ClientName = "simulated-webhooks";
    public const string WebhookPath = "/api/payments/webhooks/stripe";

    public static void AddSimulatedWebhookDelivery(IServiceCollection services)
    {
        services.AddHttpClient(ClientName, c => c.Timeout = TimeSpan.FromSeconds(30));
        services.AddSingleton<SimulatedWebhookDelivery>();
    }

    public async Task<bool> PostAsync(string origin, string payload, string signature, CancellationToken ct)
    {
        var url = string.IsNullOrWhiteSpace(options.Value.Simulated.WebhookUrl) ? origin.TrimEnd('/') + WebhookPath : options.Value.Simulated.WebhookUrl;
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation(CheckoutEndpoints.SignatureHeader, signature);
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request, ct);
            if (response.IsSuccessStatusCode) return true;
            logger.LogWarning("Simulated webhook delivery to {Url} answered {Status}; the reconciliation settles the session", url, (int)response.StatusCode);
        }
        catch (HttpRequestException ex)
        {
            logger.LogWarning(ex, "Simulated webhook delivery to {Url} failed; the reconciliation settles the session", url);
        }
        catch (TaskCanceledException ex) when (!ct.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Simulated webhook delivery to {Url} timed out; the reconciliation settles the session", url);
        }
        return false;
    }
}
