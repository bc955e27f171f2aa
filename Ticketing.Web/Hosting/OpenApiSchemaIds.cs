using Microsoft.AspNetCore.Mvc;

namespace Ticketing.Web.Hosting;

/// <summary>
/// The component names of the OpenAPI document: what a generated client calls its classes, so they are part of the
/// contract. The type's own name (<c>OrderDto</c>), generics spelled out (<c>PagedResultOfOrderDto</c>), only letters,
/// digits and underscores. Two types with one name make Swashbuckle refuse the document (a conflict to settle by renaming).
/// </summary>
public static class OpenApiSchemaIds
{
    public static string For(Type type)
    {
        if (type == typeof(ProblemDetails)) return "ProblemDetails";
        if (type == typeof(HttpValidationProblemDetails)) return "ValidationProblemDetails";
        if (type.IsArray) return For(type.GetElementType()!) + "Array";
        if (!type.IsGenericType) return type.Name;
        var name = type.Name[..type.Name.IndexOf('`')];
        return name + "Of" + string.Join("And", type.GetGenericArguments().Select(For));
    }
}
