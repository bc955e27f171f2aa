using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;
using Ticketing.Core.Common;
using Ticketing.Web.Http;

namespace Ticketing.Web.Hosting;

/// <summary>
/// What every operation of the document gets from its endpoint's metadata, so that a new endpoint inherits it:
/// the bearer requirement and a 401 (403 with roles) when it needs a signed-in caller, and none when it is anonymous;
/// a 429 when it is rate limited; its business codes (<see cref="EndpointConventions.ProducesProblemCodes{TBuilder}"/>)
/// as problem-details answers, each status listing its codes with an example per code; the request example of its body
/// type (<see cref="OpenApiRequestExamples"/>).
/// </summary>
public sealed class OpenApiOperationConventions : IOperationFilter
{
    private const string ProblemJson = "application/problem+json";
    /// <summary>A body or a parameter that cannot be read (bad JSON, a number that is not one): DomainExceptionHandler, ApiProblems.</summary>
    public const string MalformedRequest = "malformed_request";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>The code of a status whose answers carry no business code of their own (ApiProblems, the handler).</summary>
    private static string? DefaultCode(int status) => status switch
    {
        400 => null, // validation_failed where the endpoint says so (ProducesValidationProblem), below
        401 => ErrorCodes.Unauthorized,
        403 => ErrorCodes.Forbidden,
        404 => ErrorCodes.NotFound,
        429 => ErrorCodes.RateLimited,
        _ => null,
    };

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
        operation.Responses ??= new OpenApiResponses();
        var codes = new Dictionary<int, List<string>>();

        DescribeSecurity(operation, context, metadata, codes);
        if (metadata.OfType<EnableRateLimitingAttribute>().Any()) Add(codes, 429, ErrorCodes.RateLimited);
        if (metadata.OfType<IdempotencyKeyMetadata>().Any()) AddIdempotencyKeyHeader(operation);
        foreach (var code in metadata.OfType<ProblemCodesMetadata>().SelectMany(m => m.Codes)) Add(codes, ProblemStatus.For(code), code);

        // Problem answers declared with ProducesProblem / ProducesValidationProblem carry their status's own code.
        foreach (var (key, response) in operation.Responses.ToList())
        {
            if (!int.TryParse(key, out var status) || response.Content?.TryGetValue(ProblemJson, out var media) != true) continue;
            if (DefaultCode(status) is { } code) Add(codes, status, code);
            if (media?.Schema is OpenApiSchemaReference { Reference.Id: "ValidationProblemDetails" }) Add(codes, status, ErrorCodes.Validation);
        }
        // Whatever reads input can be sent unreadable input.
        if (operation.RequestBody is not null || operation.Parameters?.Any(p => p.In is ParameterLocation.Query) == true)
            Add(codes, 400, MalformedRequest);

        foreach (var (status, list) in codes.OrderBy(c => c.Key))
            DescribeProblem(operation, context, status, list);

        AddRequestExample(operation, context);
    }

    private static void Add(Dictionary<int, List<string>> codes, int status, string code)
    {
        if (!codes.TryGetValue(status, out var list)) codes[status] = list = [];
        if (!list.Contains(code)) list.Add(code);
    }

    /// <summary>The bearer requirement, 401 and (with roles) 403 for a signed-in endpoint; an explicit empty requirement for an anonymous one.</summary>
    private static void DescribeSecurity(OpenApiOperation operation, OperationFilterContext context, IList<object> metadata,
        Dictionary<int, List<string>> codes)
    {
        var policies = metadata.OfType<AuthorizationPolicy>().ToList();
        if (metadata.OfType<IAllowAnonymous>().Any() || (policies.Count == 0 && !metadata.OfType<IAuthorizeData>().Any()))
        {
            operation.Security = [new OpenApiSecurityRequirement()];
            return;
        }
        operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(OpenApiSetup.BearerScheme, context.Document)] = [] }];
        Add(codes, 401, ErrorCodes.Unauthorized);
        // A write authenticated by the sign-in cookie needs proof of origin (CookieApiOriginProof); bearer callers never see it.
        if (!HttpMethods.IsGet(context.ApiDescription.HttpMethod ?? "GET") && !HttpMethods.IsHead(context.ApiDescription.HttpMethod ?? "GET"))
            Add(codes, 403, ErrorCodes.OriginProofRequired);
        var roles = policies.SelectMany(p => p.Requirements.OfType<RolesAuthorizationRequirement>()).SelectMany(r => r.AllowedRoles)
            .Concat(metadata.OfType<IAuthorizeData>().SelectMany(a => a.Roles?.Split(',', StringSplitOptions.TrimEntries) ?? []))
            .Distinct().ToList();
        if (roles.Count == 0) return;
        Add(codes, 403, ErrorCodes.Forbidden);
        operation.Description = string.IsNullOrEmpty(operation.Description)
            ? $"Roles: {string.Join(", ", roles)}."
            : $"{operation.Description} Roles: {string.Join(", ", roles)}.";
    }

    private static void AddIdempotencyKeyHeader(OpenApiOperation operation)
    {
        operation.Parameters ??= new List<IOpenApiParameter>();
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = Features.Orders.Idempotency.Header, In = ParameterLocation.Header, Required = false,
            Description = "Any unique string (a UUID): the same key with the same body replays the first answer and changes nothing more; "
                          + "with another body it is refused (`idempotency_key_reused`).",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String },
        });
    }

    private static void DescribeProblem(OpenApiOperation operation, OperationFilterContext context, int status, IReadOnlyList<string> codes)
    {
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (operation.Responses!.TryGetValue(key, out var existing) && existing is not OpenApiResponse) return;
        var response = existing as OpenApiResponse ?? new OpenApiResponse();
        operation.Responses[key] = response;
        response.Content ??= new Dictionary<string, IOpenApiMediaType>();
        if (!response.Content.TryGetValue(ProblemJson, out var found) || found is not OpenApiMediaType media)
        {
            var type = codes.Contains(ErrorCodes.Validation) ? typeof(HttpValidationProblemDetails) : typeof(ProblemDetails);
            response.Content[ProblemJson] = media = new OpenApiMediaType { Schema = context.SchemaGenerator.GenerateSchema(type, context.SchemaRepository) };
        }
        response.Description = $"{ReasonPhrases.GetReasonPhrase(status)}: problem details with `code` "
                               + string.Join(", ", codes.Select(c => $"`{c}`")) + ".";
        media.Examples ??= new Dictionary<string, IOpenApiExample>();
        foreach (var code in codes)
        {
            var example = new JsonObject
            {
                ["type"] = "https://tools.ietf.org/html/rfc9110",
                ["title"] = ReasonPhrases.GetReasonPhrase(status),
                ["status"] = status,
                ["detail"] = "A sentence in the caller's language (Accept-Language).",
                ["code"] = code,
                ["traceId"] = "4bf92f3577b34da6a3ce929d0e0e4736",
            };
            if (code == ErrorCodes.Validation) example["errors"] = new JsonObject { ["email"] = new JsonArray("The email is not valid.") };
            media.Examples[code] = new OpenApiExample { Summary = code, Value = example };
        }
    }

    private static void AddRequestExample(OpenApiOperation operation, OperationFilterContext context)
    {
        var body = context.ApiDescription.ParameterDescriptions.FirstOrDefault(p => p.Source == BindingSource.Body)?.Type;
        if (body is null || !OpenApiRequestExamples.ByType.TryGetValue(body, out var example)) return;
        if (operation.RequestBody?.Content?.TryGetValue("application/json", out var found) != true || found is not OpenApiMediaType media) return;
        media.Example = JsonSerializer.SerializeToNode(example, body, Json);
    }
}
