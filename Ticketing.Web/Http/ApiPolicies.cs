namespace Ticketing.Web.Http;

/// <summary>The names the features' endpoints and pages ask for; <c>Hosting/WebSetup</c> registers what they mean.</summary>
public static class ApiPolicies
{
    /// <summary>Sign-in, sign-up and reset forms and endpoints: per client address, <c>RateLimiting:AuthPerMinute</c> per minute.</summary>
    public const string AuthRateLimit = "auth";

    /// <summary><c>POST /api/orders</c>: per account (user id), <c>RateLimiting:HoldsPerMinute</c> per minute.</summary>
    public const string HoldRateLimit = "holds";

    /// <summary>Accepts the bearer token (API clients) or the Identity cookie (the browser UI).</summary>
    public const string ApiScheme = "CookieOrBearer";
}
