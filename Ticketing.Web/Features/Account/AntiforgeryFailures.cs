using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Ticketing.Core;

namespace Ticketing.Web.Features.Account;

/// <summary>
/// A form post whose antiforgery token is missing, expired or forged (the sign-in, registration and sign-out forms) answers
/// one clear 400 problem details with the code <c>antiforgery_failed</c> and a localized message, before any form handling
/// (left to the framework it could end as an empty 400 re-executed as "not found", or a 500).
/// </summary>
public static class AntiforgeryFailures
{
    public const string Code = "antiforgery_failed";

    /// <summary>After <c>UseAntiforgery()</c>, which only records the validation's result.</summary>
    public static IApplicationBuilder UseAntiforgeryFailureAnswers(this IApplicationBuilder app) =>
        app.Use(async (http, next) =>
        {
            if (http.Features.Get<IAntiforgeryValidationFeature>() is { IsValid: false }
                && http.GetEndpoint()?.Metadata.GetMetadata<IAntiforgeryMetadata>() is { RequiresValidation: true })
            {
                var localizer = http.RequestServices.GetRequiredService<IStringLocalizer<SharedResource>>();
                var logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AntiforgeryFailures));
                logger.LogInformation("Form post to {Path} refused: invalid antiforgery token", http.Request.Path);
                var message = localizer["Error." + Code].Value;
                var problem = new ProblemDetails { Status = StatusCodes.Status400BadRequest, Title = message, Detail = message };
                problem.Extensions["code"] = Code;
                http.Response.StatusCode = StatusCodes.Status400BadRequest;
                await http.RequestServices.GetRequiredService<IProblemDetailsService>()
                    .WriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem });
                return;
            }
            await next(http);
        });
}
