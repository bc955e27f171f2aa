using Microsoft.EntityFrameworkCore;
using Ticketing.Core.Common;
using Ticketing.Core.Persistence;

namespace Ticketing.Core.Payments;

/// <summary>
/// The offline hosted page: the session lives in our CheckoutSessions table, the page is served by the app at
/// <c>/pay/simulated/{sessionId}</c> (a test page), and "paid" is what the simulated acquirer's ledger says.
/// </summary>
public sealed class SimulatedHostedCheckout(IDbContextFactory<TicketingDbContext> dbFactory) : IHostedCheckout
{
    public const string PagePath = "/pay/simulated/";

    public string Name => "simulated";

    public Task<HostedSession> CreateAsync(HostedSessionRequest request, CancellationToken ct)
    {
        var id = "cs_sim_" + Guid.NewGuid().ToString("N");
        return Task.FromResult(new HostedSession(id, request.ReturnBaseUrl + PagePath + id));
    }

    public async Task<HostedSessionStatus?> GetAsync(string sessionId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var session = await db.CheckoutSessions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == sessionId, ct);
        if (session is null) return null;
        var charge = await db.SimulatedCharges.AsNoTracking()
            .Where(c => c.OrderId == session.OrderId && c.Approved && !c.Refunded && c.AttemptKey.StartsWith(sessionId))
            .FirstOrDefaultAsync(ct);
        if (charge is not null) return new HostedSessionStatus(sessionId, HostedSessionState.Paid, Currencies.ToCurrencyMinorUnits(charge.AmountMinor, charge.Currency), charge.Currency, charge.Reference);
        var state = session.Status == CheckoutSessionStatus.Open ? HostedSessionState.Open : HostedSessionState.Expired;
        return new HostedSessionStatus(sessionId, state, Currencies.ToCurrencyMinorUnits(session.AmountMinor, session.Currency), session.Currency, null);
    }

    public Task<bool> ExpireAsync(string sessionId, CancellationToken ct) => Task.FromResult(true);
}
