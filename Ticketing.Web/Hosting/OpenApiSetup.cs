using Microsoft.OpenApi;

namespace Ticketing.Web.Hosting;

/// <summary>
/// The OpenAPI document (<c>/swagger/v1/swagger.json</c>) and the Swagger UI (<c>/swagger</c>): the contract partners
/// generate their clients from (docs/api.md). Checked by Redocly's recommended rules and a generated client in the tests.
/// </summary>
public static class OpenApiSetup
{
    public const string DocumentName = "v1";
    public const string DocumentPath = "/swagger/v1/swagger.json";
    public const string BearerScheme = "Bearer";

    public static IServiceCollection AddTicketingOpenApi(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(c =>
        {
            c.SwaggerDoc(DocumentName, new OpenApiInfo
            {
                Title = "Ticketing API",
                Version = "v1",
                Description = "Events, accounts, orders and tickets. Authenticate with POST /api/auth/token, then send "
                              + "`Authorization: Bearer <accessToken>` (in this page: the Authorize button). Errors are RFC 9457 "
                              + "problem details with a stable `code`. Versioning: docs/api.md.",
                License = new OpenApiLicense { Name = "Proprietary: use under the Ticketing partner agreement" },
            });
            c.AddSecurityDefinition(BearerScheme, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http, Scheme = "bearer", BearerFormat = "JWT", In = ParameterLocation.Header,
                Description = "The accessToken from POST /api/auth/token.",
            });
            c.CustomSchemaIds(OpenApiSchemaIds.For);
            // Money is decimal in the API: generated clients get a decimal type rather than a binary double.
            c.MapType<decimal>(() => new OpenApiSchema { Type = JsonSchemaType.Number, Format = "decimal" });
            c.SchemaFilter<OpenObjectSchemaFilter>();
            c.SchemaFilter<ProblemDetailsSchemaFilter>();
            c.OperationFilter<OpenApiOperationConventions>();
            c.DocumentFilter<OpenApiTagDescriptions>();
        });
        return services;
    }

    public static WebApplication UseTicketingOpenApi(this WebApplication app)
    {
        // The server is the one the caller reached: behind a proxy (Hosting:ForwardedHeaders) the forwarded scheme and
        // host, so that "Try it out" and generated clients call the public address, never the internal one.
        app.UseSwagger(o => o.PreSerializeFilters.Add((document, request) =>
            document.Servers = [new OpenApiServer { Url = $"{request.Scheme}://{request.Host.Value}{request.PathBase}" }]));
        app.UseSwaggerUI(o =>
        {
            o.SwaggerEndpoint(DocumentPath, "Ticketing API v1");
            o.DocumentTitle = "Ticketing API";
        });
        return app;
    }
}
