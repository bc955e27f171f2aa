using System.Reflection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;
using Ticketing.Core.Common;
using Ticketing.Web.Http;

namespace Ticketing.Web.Hosting;

/// <summary>
/// The problem-details schemas carry what every error answer of the API has beyond RFC 9457: the stable machine
/// <c>code</c> and the <c>traceId</c> of the logs (see <see cref="DomainExceptionHandler"/>).
/// </summary>
public sealed class ProblemDetailsSchemaFilter : ISchemaFilter
{
    /// <summary>Every code of the contract (<see cref="ErrorCodes"/>), in declaration order.</summary>
    public static readonly IReadOnlyList<string> AllCodes = typeof(ErrorCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(string))
        .Select(f => (string)f.GetRawConstantValue()!)
        .Append(OpenApiOperationConventions.MalformedRequest).Append("internal_error").ToList();

    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (!typeof(ProblemDetails).IsAssignableFrom(context.Type) || schema is not OpenApiSchema target) return;
        target.Description = "RFC 9457 problem details. `title` and `detail` follow Accept-Language (en, fr); `code` is stable.";
        target.Properties ??= new Dictionary<string, IOpenApiSchema>();
        target.Properties["code"] = new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Description = "The stable machine code of the refusal. Each operation lists the codes it may answer. All codes: "
                          + string.Join(", ", AllCodes.Select(c => $"`{c}`")) + ".",
        };
        target.Properties["traceId"] = new OpenApiSchema
        {
            Type = JsonSchemaType.String, Description = "The trace id of the request in the server's logs (quote it to support).",
        };
    }
}
