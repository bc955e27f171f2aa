using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;
using Ticketing.Core;
using Ticketing.Core.Common;

namespace Ticketing.Web.Features.Auth;

/// <summary>
/// A cookie-authenticated POST/PUT/PATCH/DELETE under <c>/api</c> must prove it comes from our own pages: an antiforgery
/// token header (<see cref="TokenHeader"/>) or a custom header (<see cref="CustomHeader"/> or <c>X-Requested-With</c>,
/// which a cross-site form or a "simple" cross-origin request cannot set), and no foreign <c>Origin</c> or
/// <c>Sec-Fetch-Site</c>. Otherwise 403 <c>origin_proof_required</c>. Bearer requests carry their proof in the header and pass.
/// </summary>
public sealed class CookieApiOriginProof(RequestDelegate next)
{
    public const string CustomHeader = "X-CSRF";
    public const string TokenHeader = "X-CSRF-TOKEN";

    public async Task InvokeAsync(HttpContext http, IAntiforgery antiforgery)
    {
        var request = http.Request;
        if (!request.Path.StartsWithSegments("/api") || HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)
            || HttpMethods.IsOptions(request.Method) || HttpMethods.IsTrace(request.Method)
            || request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            || http.User.Identity is not { IsAuthenticated: true, AuthenticationType: var type } || type != IdentityConstants.ApplicationScheme)
        {
            await next(http);
            return;
        }
        if (IsSameOrigin(request) && (HasCustomHeader(request) || await HasValidTokenAsync(http, antiforgery)))
        {
            await next(http);
            return;
        }
        var l = http.RequestServices.GetRequiredService<IStringLocalizer<SharedResource>>();
        var problem = new Microsoft.AspNetCore.Mvc.ProblemDetails
        {
            Status = StatusCodes.Status403Forbidden, Title = l["Error.origin_proof_required"], Detail = l["Error.origin_proof_required"],
        };
        problem.Extensions["code"] = ErrorCodes.OriginProofRequired;
        http.Response.StatusCode = StatusCodes.Status403Forbidden;
        await http.RequestServices.GetRequiredService<IProblemDetailsService>()
            .WriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem });
    }

    private static bool IsSameOrigin(HttpRequest request)
    {
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0 && site != "same-origin") return false;
        var origin = request.Headers.Origin.ToString();
        return origin.Length == 0 || string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase);
    }

    private static bool HasCustomHeader(HttpRequest request) =>
        !string.IsNullOrWhiteSpace(request.Headers[CustomHeader]) || !string.IsNullOrWhiteSpace(request.Headers.XRequestedWith);

    private static async Task<bool> HasValidTokenAsync(HttpContext http, IAntiforgery antiforgery) =>
        !string.IsNullOrEmpty(http.Request.Headers[TokenHeader]) && await antiforgery.IsRequestValidAsync(http);
}
