using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;
using Microsoft.IdentityModel.Tokens;
using MudBlazor.Services;
using Ticketing.Core;
using Ticketing.Core.Accounts;
using Ticketing.Core.Common;
using Ticketing.Core.Persistence;
using Ticketing.Web.Components;
using Ticketing.Web.Features.Account;
using Ticketing.Web.Features.Auth;
using Ticketing.Web.Features.Catalog;
using Ticketing.Web.Features.Door;
using Ticketing.Web.Features.Sales;
using Ticketing.Web.Features.Events;
using Ticketing.Web.Features.Notifications;
using Ticketing.Web.Features.Orders;
using Ticketing.Web.Features.Receipts;
using Ticketing.Web.Features.BoxOffice;
using Ticketing.Web.Features.Comps;
using Ticketing.Web.Features.Messages;
using Ticketing.Web.Features.Reports;
using Ticketing.Web.Features.Tickets;
using Ticketing.Web.Features.Users;
using Ticketing.Web.Features.WaitingRoom;
using Ticketing.Web.Features.Guests;
using Ticketing.Web.Http;

namespace Ticketing.Web.Hosting;

public static class WebSetup
{
    public static readonly CultureInfo[] SupportedCultures = [new("en"), new("fr")];

    public static WebApplicationBuilder AddTicketingWeb(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var config = builder.Configuration;

        services.AddLocalization();
        services.AddSingleton<FingerprintedAssetCompression>();
        Ticketing.Web.Features.Payments.SimulatedWebhookDelivery.AddSimulatedWebhookDelivery(services);
        services.Configure<RequestLocalizationOptions>(o =>
        {
            o.DefaultRequestCulture = new RequestCulture("en");
            o.SupportedCultures = SupportedCultures;
            o.SupportedUICultures = SupportedCultures;
            o.RequestCultureProviders =
            [
                new QueryStringRequestCultureProvider(),
                new CookieRequestCultureProvider(),
                new AcceptLanguageHeaderRequestCultureProvider(),
            ];
        });

        services.AddProblemDetails(o => o.CustomizeProblemDetails = DomainExceptionHandler.AddTraceId);
        services.AddExceptionHandler<DomainExceptionHandler>();

        // Identity: cookie for the browser, bcrypt for the hashes. Wrong passwords are throttled per account and client
        // (SignInThrottle), never by locking the account; Identity's lockout is only the Admin's lock.
        services.AddIdentity<AppUser, AppRole>(o =>
            {
                o.User.RequireUniqueEmail = true;
                // Length and a list of common/leaked passwords (CommonPasswordValidator), no composition rules (NIST SP 800-63B).
                o.Password.RequiredLength = 12;
                o.Password.RequireDigit = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequiredUniqueChars = 1;
                o.Lockout.AllowedForNewUsers = true;
                o.SignIn.RequireConfirmedAccount = false;
                o.Tokens.PasswordResetTokenProvider = PasswordResetTokenProvider.ProviderName;
                o.Tokens.EmailConfirmationTokenProvider = EmailTokenProvider.ProviderName;
                o.Tokens.ChangeEmailTokenProvider = EmailTokenProvider.ProviderName;
            })
            .AddEntityFrameworkStores<TicketingDbContext>()
            .AddUserManager<AppUserManager>()
            .AddDefaultTokenProviders()
            .AddPasswordValidator<CommonPasswordValidator>()
            .AddTokenProvider<PasswordResetTokenProvider>(PasswordResetTokenProvider.ProviderName)
            .AddTokenProvider<EmailTokenProvider>(EmailTokenProvider.ProviderName)
            .AddClaimsPrincipalFactory<AppClaimsPrincipalFactory>();
        services.AddScoped<IPasswordHasher<AppUser>, BcryptPasswordHasher>();
        // Passkeys (WebAuthn): the relying party is the site's own host unless Auth:Passkeys:ServerDomain names it.
        services.Configure<IdentityPasskeyOptions>(o =>
        {
            var domain = config["Auth:Passkeys:ServerDomain"];
            if (!string.IsNullOrWhiteSpace(domain)) o.ServerDomain = domain;
        });
        var secureCookies = config.GetValue<bool?>("Auth:SecureCookies") ?? !builder.Environment.IsDevelopment();
        var cookieSecurity = secureCookies ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
        services.AddAntiforgery(o =>
        {
            o.HeaderName = CookieApiOriginProof.TokenHeader;
            o.Cookie.SecurePolicy = cookieSecurity;
        });
        services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = "ticketing.auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = cookieSecurity;
            o.LoginPath = "/account/login";
            o.LogoutPath = "/account/logout";
            o.AccessDeniedPath = "/account/access-denied";
            o.SlidingExpiration = true;
            o.ExpireTimeSpan = TimeSpan.FromDays(14);
            o.Events.OnRedirectToLogin = ctx => ApiAwareRedirect(ctx, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = ctx => ApiAwareRedirect(ctx, StatusCodes.Status403Forbidden);
            // Every request, not Identity's periodic SecurityStampValidator: a cookie replayed after sign-out is refused.
            o.Events.OnValidatePrincipal = SessionValidation.ValidateCookieAsync;
        });
        services.AddDataProtection().SetApplicationName("Ticketing").PersistKeysToDbContext<TicketingDbContext>();
        // The key ring's master keys are encrypted at rest with the key-encryption key (Security:KeyEncryptionKey).
        services.AddOptions<Microsoft.AspNetCore.DataProtection.KeyManagement.KeyManagementOptions>()
            .Configure<KeyEncryption>((o, kek) => o.XmlEncryptor = new KeyEncryptionXmlEncryptor(kek));

        services.AddSingleton<ValidatedTokenCache>();
        services.AddSingleton<SoldOutAnswer>();
        services.AddAuthentication()
            .AddJwtBearer(JwtBearerDefaults.AuthenticationScheme, _ => { })
            .AddScheme<AuthenticationSchemeOptions, DoorDeviceAuthentication>(DoorDeviceAuthentication.SchemeName, _ => { })
            .AddPolicyScheme(ApiPolicies.ApiScheme, ApiPolicies.ApiScheme, o => o.ForwardDefaultSelector = ctx =>
                ctx.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? JwtBearerDefaults.AuthenticationScheme
                    : DoorDeviceAuthentication.IsDeviceRequest(ctx.Request) ? DoorDeviceAuthentication.SchemeName
                    : IdentityConstants.ApplicationScheme);
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<JwtKeyProvider, Microsoft.Extensions.Options.IOptions<AuthOptions>, ValidatedTokenCache>((o, keys, auth, cache) =>
            {
                o.MapInboundClaims = false;
                o.IncludeErrorDetails = false;
                o.Events = new JwtBearerEvents { OnTokenValidated = SessionValidation.ValidateBearerAsync };
                o.TokenHandlers.Clear();
                o.TokenHandlers.Add(new CachingJsonWebTokenHandler(cache) { MapInboundClaims = false });
                o.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = auth.Value.Issuer,
                    ValidAudience = auth.Value.Audience,
                    ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                    IssuerSigningKeyResolver = (_, _, _, _) => [keys.Key],
                    NameClaimType = ClaimTypes.Name,
                    RoleClaimType = ClaimTypes.Role,
                    ClockSkew = TimeSpan.FromSeconds(30),
                };
            });
        services.AddAuthorization(o => o.AddPolicy(DoorDeviceAuthentication.Policy, p => p.AddAuthenticationSchemes(ApiPolicies.ApiScheme)
            .RequireAuthenticatedUser().RequireClaim(DoorDeviceAuthentication.DeviceClaim)));
        builder.AddTicketingExternalSignIn(cookieSecurity);
        services.AddAuthorization();
        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, IdentityRevalidatingAuthenticationStateProvider>();

        services.AddRateLimiter(o =>
        {
            var perMinute = config.GetValue("RateLimiting:AuthPerMinute", 20);
            // Posts only: the sign-in and registration pages are also read with GET.
            o.AddPolicy(ApiPolicies.AuthRateLimit, http => perMinute <= 0 || HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method)
                ? RateLimitPartition.GetNoLimiter("off")
                : RateLimitPartition.GetFixedWindowLimiter(http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            var holdsPerMinute = config.GetValue("RateLimiting:HoldsPerMinute", 30);
            o.AddPolicy(ApiPolicies.HoldRateLimit, http => holdsPerMinute <= 0
                ? RateLimitPartition.GetNoLimiter("off")
                : RateLimitPartition.GetFixedWindowLimiter(http.User.UserIdOrNull()?.ToString() ?? "anonymous",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = holdsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            o.OnRejected = async (ctx, ct) =>
            {
                var http = ctx.HttpContext;
                http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                http.Response.Headers.RetryAfter = "60";
                var l = http.RequestServices.GetRequiredService<IStringLocalizer<SharedResource>>();
                var problem = new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = 429, Title = l["Error.rate_limited"], Detail = l["Error.rate_limited"] };
                problem.Extensions["code"] = ErrorCodes.RateLimited;
                await http.RequestServices.GetRequiredService<IProblemDetailsService>()
                    .WriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem });
            };
        });

        Features.Guests.GuestEndpoints.AddGuestRateLimit(services, config);

        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database")
            .AddCheck<Features.Backups.BackupHealthCheck>("backups");

        services.AddTicketingOpenApi();

        services.ConfigureHttpJsonOptions(o =>
            o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));

        services.AddMudServices(c =>
        {
            c.SnackbarConfiguration.PositionClass = MudBlazor.Defaults.Classes.Position.BottomCenter;
            c.SnackbarConfiguration.VisibleStateDuration = 6000;
            // MudBlazor's default 95 % opacity lets the page bleed through and drops white-on-colour text under 4.5:1.
            c.SnackbarConfiguration.MaximumOpacity = 100;
        });
        services.AddTransient<MudBlazor.MudLocalizer, MudTexts>();
        // A prerendered page hands its persisted state (the home page's rows of events) to the circuit in one message
        // from the browser: SignalR's default 32 KB cut the home page's circuit once ~9 events were published. 512 KB
        // covers the largest home page (126 cards at their longest texts); static catalogue pages (issue 17) remove the need.
        services.AddCatalogCache(config);
        services.AddRazorComponents().AddInteractiveServerComponents()
            .AddHubOptions(o => o.MaximumReceiveMessageSize = 512 * 1024);
        services.AddHttpContextAccessor();
        // Render accented text as is (é, not &#xE9;): smaller pages, readable sources.
        services.AddWebEncoders(o => o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));

        services.AddHsts(o =>
        {
            o.MaxAge = TimeSpan.FromDays(config.GetValue("Hosting:HstsMaxAgeDays", 365));
            o.IncludeSubDomains = false;
        });
        if (config.GetValue("Hosting:ForwardedHeaders", false))
            services.Configure<ForwardedHeadersOptions>(o =>
            {
                o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
                o.KnownIPNetworks.Clear();
                o.KnownProxies.Clear();
            });
        return builder;
    }

    private static Task ApiAwareRedirect(RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> ctx, int status)
    {
        if (ctx.Request.Path.StartsWithSegments("/api"))
        {
            ctx.Response.StatusCode = status;
            return Task.CompletedTask;
        }
        ctx.Response.Redirect(ctx.RedirectUri);
        return Task.CompletedTask;
    }

    public static WebApplication UseTicketingPipeline(this WebApplication app)
    {
        if (app.Configuration.GetValue("Hosting:ForwardedHeaders", false)) app.UseForwardedHeaders();
        // Culture first, so that error pages and problem details written on the way out are localized too.
        app.UseRequestLocalization();
        app.UseExceptionHandler();
        app.UseWhen(IsApi, api => api.UseStatusCodePages(ApiProblems.WriteStatusCodeProblemAsync));
        app.UseWhen(http => !IsApi(http), ui => ui.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true));
        // A package's fingerprinted assets through their compressed route (before routing, which picks the endpoint).
        if (app.Configuration.GetValue("Hosting:CompressFingerprintedPackageAssets", true))
            app.Use(app.Services.GetRequiredService<FingerprintedAssetCompression>().Middleware);
        // Routing after the status code pages, so that a re-executed request (the 404 page) is routed again.
        app.UseRouting();
        // HSTS on by default in Production: sent on HTTPS requests only (behind a TLS-terminating proxy, the request is
        // HTTPS through X-Forwarded-Proto when Hosting:ForwardedHeaders is on). Redirection only where the app itself
        // listens on HTTPS (by default) or when asked: behind a proxy, the proxy redirects.
        if (app.Configuration.GetValue("Hosting:Hsts", app.Environment.IsProduction())) app.UseHsts();
        if (app.Configuration.GetValue("Hosting:UseHttpsRedirection", app.Environment.IsProduction() && ListensOnHttps(app.Configuration)))
            app.UseHttpsRedirection();
        app.UseMiddleware<SecurityHeadersMiddleware>();
        // An on-sale's losers whose token was validated before: answered here, before authentication and binding.
        app.UseMiddleware<SoldOutFastPath>();
        // Waiting fans polling their place with a token validated before: answered from the waiting room's cache.
        app.UseMiddleware<Ticketing.Web.Features.WaitingRoom.QueueStatusFastPath>();
        app.UseTicketingOpenApi();
        app.UseAuthentication();
        app.UseMiddleware<DoorDeviceFence>();
        app.UseAuthorization();
        app.UseCatalogCache();
        app.UseMiddleware<CookieApiOriginProof>();
        app.UseRateLimiter();
        app.UseAntiforgery();
        app.UseAntiforgeryFailureAnswers();
        return app;
    }

    private static bool ListensOnHttps(IConfiguration config) =>
        (config["urls"] ?? "").Contains("https://", StringComparison.OrdinalIgnoreCase) || !string.IsNullOrEmpty(config["https_ports"]);

    private static bool IsApi(HttpContext http) => http.Request.Path.StartsWithSegments("/api");

    public static WebApplication MapTicketingEndpoints(this WebApplication app)
    {
        app.MapStaticAssets();
        app.Services.GetRequiredService<FingerprintedAssetCompression>().Learn(app);
        app.MapHealthChecks("/health", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions
        {
            ResponseWriter = HealthResponseWriter.WriteAsync,
        });
        app.MapPingEndpoint();
        app.MapCultureEndpoints();
        app.MapAccountFormEndpoints();
        app.MapExternalSignInEndpoints();
        app.MapPasskeyEndpoints();
        app.MapAuthEndpoints();
        app.MapAccountSecurityEndpoints();
        app.MapUserEndpoints();
        app.MapSalesEndpoints();
        app.MapEventsEndpoints();
        app.MapAvailabilityEndpoints();
        app.MapNotificationEndpoints();
        app.MapOrdersEndpoints();
        Ticketing.Web.Features.Payments.CheckoutEndpoints.MapCheckoutEndpoints(app);
        app.MapTicketsEndpoints();
        app.MapCheckInEndpoints();
        app.MapDoorDeviceEndpoints();
        app.MapDoorDeviceScanner();
        app.MapReceiptsEndpoints();
        app.MapBoxOfficeEndpoints();
        app.MapCompsEndpoints();
        app.MapMessagesEndpoints();
        app.MapReportsEndpoints();
        Ticketing.Web.Features.Seating.SeatingEndpoints.MapSeatingEndpoints(app);
        app.MapWaitingRoomEndpoints();
        Ticketing.Web.Features.Resale.ResaleEndpoints.MapResaleEndpoints(app);
        Ticketing.Web.Features.Waitlist.WaitlistEndpoints.MapWaitlistEndpoints(app);
        Features.Codes.CodesEndpoints.MapCodesEndpoints(app);
        Features.Webhooks.WebhooksEndpoints.MapWebhooksEndpoints(app);
        app.MapGuestEndpoints();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode(o => o.ContentSecurityFrameAncestorsPolicy = "'none'");
        return app;
    }
}
