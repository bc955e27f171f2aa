using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Ticketing.Web.Hosting;

/// <summary>
/// Objects stay open to new fields: the API ignores unknown request fields and adds response fields within a version
/// (docs/api.md, versions), so no schema says <c>additionalProperties: false</c> (a strict client would then reject
/// every additive change).
/// </summary>
public sealed class OpenObjectSchemaFilter : ISchemaFilter
{
    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is OpenApiSchema { AdditionalPropertiesAllowed: false, AdditionalProperties: null } target)
            target.AdditionalPropertiesAllowed = true;
    }
}
