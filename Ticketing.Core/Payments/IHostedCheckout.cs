namespace Ticketing.Core.Payments;

/// <param name="ReturnBaseUrl">The app's origin as the fan sees it (https://tickets.example): where the provider sends the fan back.</param>
public sealed record HostedSessionRequest(Guid OrderId, long AmountMinor, string Currency, string Description, DateTimeOffset ExpiresAt,
    string ReturnBaseUrl, string? CustomerEmail, string Language);

public sealed record HostedSession(string Id, string RedirectUrl);

public enum HostedSessionState { Open, Paid, Expired }

/// <summary>What the provider says about a session (the reconciliation asks when no webhook came); the amount in the currency's minor units.</summary>
public sealed record HostedSessionStatus(string Id, HostedSessionState State, long AmountMinor, string Currency, string? PaymentReference);

/// <summary>A hosted payment page: the fan types the card on the provider's page, never on ours; the provider's webhook says "paid".</summary>
public interface IHostedCheckout
{
    /// <summary>"simulated" or "stripe" (the <c>provider</c> of the checkout answer and of the payment row).</summary>
    string Name { get; }
    Task<HostedSession> CreateAsync(HostedSessionRequest request, CancellationToken ct);
    /// <summary>Null when the provider does not know the session.</summary>
    Task<HostedSessionStatus?> GetAsync(string sessionId, CancellationToken ct);
    /// <summary>Closes the page (the hold ended); false when the provider refused (e.g. it was paid meanwhile).</summary>
    Task<bool> ExpireAsync(string sessionId, CancellationToken ct);
}
