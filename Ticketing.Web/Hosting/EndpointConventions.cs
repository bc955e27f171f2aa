using Microsoft.AspNetCore.Mvc;

namespace Ticketing.Web.Hosting;

public static class EndpointConventions
{
    /// <summary>Documents the problem-details answers every API endpoint can give.</summary>
    public static RouteHandlerBuilder ProducesProblems(this RouteHandlerBuilder builder, params int[] statuses)
    {
        foreach (var s in statuses) builder.ProducesProblem(s);
        return builder;
    }

    public static TBuilder RequireApiAuth<TBuilder>(this TBuilder builder, params string[] roles) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(policy =>
        {
            policy.AddAuthenticationSchemes(WebSetup.ApiScheme);
            policy.RequireAuthenticatedUser();
            if (roles.Length > 0) policy.RequireRole(roles);
        });
}

public sealed class ValidationProblemDoc : HttpValidationProblemDetails;
