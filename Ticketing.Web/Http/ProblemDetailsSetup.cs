using System.Diagnostics;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Ticketing.Core;
using Ticketing.Core.Common;

namespace Ticketing.Web.Http;

/// <summary>
/// One place that turns exceptions into RFC 9457 problem details with a stable <c>code</c>, a <c>traceId</c>,
/// and a message in the caller's language.
/// </summary>
public sealed class DomainExceptionHandler(
    IProblemDetailsService problems,
    IStringLocalizer<SharedResource> localizer,
    ILogger<DomainExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        ProblemDetails problem;
        switch (exception)
        {
            case RequestValidationException v:
                problem = new HttpValidationProblemDetails(v.Errors)
                {
                    Status = 400, Title = localizer["Error.validation_failed"], Detail = localizer["Error.validation_failed"],
                };
                problem.Extensions["code"] = ErrorCodes.Validation;
                break;
            case DomainException d:
                // The title says what the code means; the detail says why, when the service said more precisely
                // (e.g. order_not_payable because the event was cancelled). Both in the caller's language.
                var message = localizer["Error." + d.Code];
                problem = new ProblemDetails
                {
                    Status = ProblemStatus.Of(d),
                    Title = message.ResourceNotFound ? d.Code : message.Value,
                    Detail = d.Message != d.Code || message.ResourceNotFound ? d.Message : message.Value,
                };
                problem.Extensions["code"] = d.Code;
                foreach (var (k, val) in d.Extensions) problem.Extensions[k] = val;
                logger.LogInformation("Request refused with {Code} ({Status})", d.Code, ProblemStatus.Of(d));
                break;
            case Exception busy when IsDatabaseSaturated(busy):
                // Not a bug of ours and nothing was written: the database is at its connection limit for a moment.
                logger.LogWarning("Database saturated on {Method} {Path}: {Error}", http.Request.Method, http.Request.Path, busy.GetBaseException().Message);
                problem = new ProblemDetails { Status = 503, Title = localizer["Error.service_busy"], Detail = localizer["Error.service_busy"] };
                problem.Extensions["code"] = ErrorCodes.ServiceBusy;
                http.Response.Headers.RetryAfter = "2";
                break;
            case BadHttpRequestException bad:
                problem = new ProblemDetails
                {
                    Status = bad.StatusCode, Title = localizer["Error.malformed_request"], Detail = localizer["Error.malformed_request"],
                };
                problem.Extensions["code"] = "malformed_request";
                break;
            default:
                logger.LogError(exception, "Unhandled exception on {Method} {Path}", http.Request.Method, http.Request.Path);
                problem = new ProblemDetails { Status = 500, Title = localizer["Error.unexpected"], Detail = localizer["Error.unexpected"] };
                problem.Extensions["code"] = "internal_error";
                break;
        }
        http.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem, Exception = exception });
    }

    /// <summary>PostgreSQL at its connection limit (53300 too_many_connections, 57P03 cannot_connect_now), or our pool exhausted.</summary>
    internal static bool IsDatabaseSaturated(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
        {
            if (x is Npgsql.PostgresException { SqlState: "53300" or "57P03" }) return true;
            if (x is Npgsql.NpgsqlException && x.InnerException is TimeoutException && x.Message.Contains("pool", StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }

    /// <summary>The <c>traceId</c> of every problem details answer (the one the logs carry).</summary>
    public static string TraceIdOf(HttpContext http) => Activity.Current?.TraceId.ToString() ?? http.TraceIdentifier;

    public static void AddTraceId(ProblemDetailsContext context)
    {
        context.ProblemDetails.Extensions["traceId"] = TraceIdOf(context.HttpContext);
        context.ProblemDetails.Instance ??= context.HttpContext.Request.Path;
    }
}

public static class ApiProblems
{
    /// <summary>Problem details for the empty 401/403/404/405 answers of the API (authentication, routing).</summary>
    public static async Task WriteStatusCodeProblemAsync(StatusCodeContext context)
    {
        var http = context.HttpContext;
        if (!http.Request.Path.StartsWithSegments("/api")) return;
        var localizer = http.RequestServices.GetRequiredService<IStringLocalizer<SharedResource>>();
        var code = http.Response.StatusCode switch
        {
            400 => "malformed_request",
            401 => ErrorCodes.Unauthorized,
            403 => ErrorCodes.Forbidden,
            404 => ErrorCodes.NotFound,
            429 => ErrorCodes.RateLimited,
            _ => null,
        };
        var text = code is null ? ReasonPhrases.GetReasonPhrase(http.Response.StatusCode) : localizer["Error." + code].Value;
        var problem = new ProblemDetails { Status = http.Response.StatusCode, Title = text, Detail = text };
        if (code is not null) problem.Extensions["code"] = code;
        await http.RequestServices.GetRequiredService<IProblemDetailsService>()
            .WriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem });
    }
}
