using Ticketing.Core.Accounts;
using Ticketing.Core.Orders;
using Ticketing.Core.Payments;
using Ticketing.Web.Features.Auth;

namespace Ticketing.Web.Hosting;

/// <summary>
/// Request examples of the purchase flow, by request type: every operation taking one of these bodies shows it in the
/// Swagger UI and the OpenAPI document. Typed, so a renamed field breaks the build rather than the example.
/// </summary>
public static class OpenApiRequestExamples
{
    private static readonly Guid PerformanceId = Guid.Parse("0193a1b2-7c3d-7e4f-8a5b-6c7d8e9f0a1b");
    private static readonly Guid CategoryId = Guid.Parse("0193a1b2-7c3d-7e4f-8a5b-6c7d8e9f0a2c");

    public static readonly IReadOnlyDictionary<Type, object> ByType = new Dictionary<Type, object>
    {
        [typeof(RegisterRequest)] = new RegisterRequest("ada@example.com", "correct-horse-battery-7", "Ada Lovelace",
            PreferredLanguage: "en", NotificationChannel: nameof(NotificationChannel.Email)),
        [typeof(TokenRequest)] = new TokenRequest("ada@example.com", "correct-horse-battery-7"),
        [typeof(PlaceOrderRequest)] = new PlaceOrderRequest(PerformanceId, [new PlaceOrderItem(CategoryId, 2)]),
        // The simulated gateway's approved Visa test card (docs/api.md lists the others).
        [typeof(PayOrderRequest)] = new PayOrderRequest("4242424242424242", 12, 2034, "123", "Ada Lovelace"),
    };
}
