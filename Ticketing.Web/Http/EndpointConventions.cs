using Microsoft.AspNetCore.Mvc;
using Ticketing.Core.Common;

namespace Ticketing.Web.Http;

public static class EndpointConventions
{
    /// <summary>Documents the problem-details answers every API endpoint can give.</summary>
    public static RouteHandlerBuilder ProducesProblems(this RouteHandlerBuilder builder, params int[] statuses)
    {
        foreach (var s in statuses) builder.ProducesProblem(s);
        return builder;
    }

    /// <summary>
    /// Documents the business refusals of an endpoint by their stable <c>code</c>: each code is answered with the status the
    /// contract gives it (<see cref="ProblemStatus.For"/>), as problem details; the OpenAPI document lists the codes
    /// per status with an example each (<see cref="OpenApiOperationConventions"/>).
    /// </summary>
    public static TBuilder ProducesProblemCodes<TBuilder>(this TBuilder builder, params string[] codes) where TBuilder : IEndpointConventionBuilder
    {
        builder.WithMetadata(new ProblemCodesMetadata(codes));
        return builder;
    }

    /// <summary>
    /// Documents the optional <c>Idempotency-Key</c> header of a write that spends money or seats (see
    /// <see cref="Features.Orders.Idempotency"/>), and its <c>idempotency_key_reused</c> refusal.
    /// </summary>
    public static TBuilder AcceptsIdempotencyKey<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new IdempotencyKeyMetadata()).ProducesProblemCodes(ErrorCodes.IdempotencyKeyReused);

    public static TBuilder RequireApiAuth<TBuilder>(this TBuilder builder, params string[] roles) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(policy =>
        {
            policy.AddAuthenticationSchemes(ApiPolicies.ApiScheme);
            policy.RequireAuthenticatedUser();
            if (roles.Length > 0) policy.RequireRole(roles);
        });
}

public sealed class ValidationProblemDoc : HttpValidationProblemDetails;
