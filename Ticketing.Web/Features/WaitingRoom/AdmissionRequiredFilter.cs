using Ticketing.Core.Common;
using Ticketing.Core.Orders;
using Ticketing.Core.WaitingRoom;
using Ticketing.Web.Http;

namespace Ticketing.Web.Features.WaitingRoom;

/// <summary>
/// On POST /api/orders: during a queued sale the order needs the <c>Admission-Token</c> header of this account and
/// performance (else 403 admission_required, before any seat is touched). Performances without a waiting room pass.
/// </summary>
public sealed class AdmissionRequiredFilter(WaitingRoomService rooms) : IEndpointFilter
{
    public const string Header = "Admission-Token";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.Arguments.OfType<PlaceOrderRequest>().FirstOrDefault();
        var http = context.HttpContext;
        if (request is not null && http.User.UserIdOrNull() is { } userId)
            await rooms.EnsureAdmittedAsync(userId, request.PerformanceId, http.Request.Headers[Header].FirstOrDefault(), http.RequestAborted,
                presale: !string.IsNullOrWhiteSpace(request.AccessCode));
        return await next(context);
    }
}

public static class AdmissionRequiredFilterExtensions
{
    /// <summary>POST /api/orders during a queued sale: the <c>Admission-Token</c> header or 403 admission_required.</summary>
    public static RouteHandlerBuilder RequireAdmissionDuringQueuedSale(this RouteHandlerBuilder builder) =>
        builder.AddEndpointFilter<AdmissionRequiredFilter>().ProducesProblems(403).ProducesProblemCodes(ErrorCodes.AdmissionRequired);
}
