using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Ticketing.Core.Common;

namespace Ticketing.Core.Accounts;

public sealed class AuthOptions
{
    public const string Section = "Auth";
    /// <summary>Base64 of at least 32 bytes; when empty a key is generated once and persisted in the database.</summary>
    public string? JwtSigningKey { get; set; }
    public string Issuer { get; set; } = "ticketing";
    public string Audience { get; set; } = "ticketing-api";
    public int TokenLifetimeMinutes { get; set; } = 60;
    /// <summary>How many validated bearer tokens an instance remembers until they expire (0 = validate every request).</summary>
    public int ValidatedTokenCacheSize { get; set; } = 100_000;
}

public sealed record TokenResponse(string AccessToken, string TokenType, int ExpiresIn, IReadOnlyList<string> Roles);

/// <summary>Holds the JWT signing key (loaded once at start, shared by every instance through the database).</summary>
public sealed class JwtKeyProvider(SecretStore secrets, IOptions<AuthOptions> options)
{
    private SymmetricSecurityKey? _key;

    public SymmetricSecurityKey Key => _key ?? throw new InvalidOperationException("The JWT signing key is not loaded yet.");

    public async Task InitializeAsync(CancellationToken ct = default) =>
        _key = new SymmetricSecurityKey(await secrets.GetOrCreateKeyAsync("jwt-signing-key", options.Value.JwtSigningKey, 64, ct)) { KeyId = "ticketing-1" };
}

/// <summary><c>POST /api/auth/token</c>: checks the password (with lockout) and mints a bearer token with role claims.</summary>
public sealed class TokenService(
    UserManager<AppUser> users,
    SignInManager<AppUser> signIn,
    JwtKeyProvider keys,
    IOptions<AuthOptions> options,
    IStringLocalizer<SharedResource> localizer,
    ILogger<TokenService> logger)
{
    public async Task<TokenResponse> CreateTokenAsync(string? email, string? password)
    {
        if (string.IsNullOrWhiteSpace(email) || string.IsNullOrEmpty(password))
            throw new RequestValidationException(new Dictionary<string, string[]>
            {
                [string.IsNullOrWhiteSpace(email) ? "email" : "password"] = [localizer["Validation.Required"]],
            });
        // No address has control characters (PostgreSQL refuses NUL in a query): bad input, not a database error.
        if (UserText.Check(email) != TextProblem.None)
            throw new RequestValidationException(new Dictionary<string, string[]> { ["email"] = [localizer["Validation.Email"]] });

        var user = await users.FindByEmailAsync(email.Trim());
        if (user is null || user.DeletedAt is not null)
        {
            logger.LogInformation("Token refused: unknown account");
            throw new DomainException(ErrorCodes.InvalidCredentials, localizer["Error.invalid_credentials"]);
        }
        var result = await signIn.CheckPasswordSignInAsync(user, password, lockoutOnFailure: true);
        if (result.IsLockedOut)
        {
            logger.LogWarning("Token refused: account {UserId} locked", user.Id);
            throw new DomainException(ErrorCodes.AccountLocked, localizer["Error.account_locked"]);
        }
        if (!result.Succeeded)
        {
            logger.LogInformation("Token refused: bad password for {UserId}", user.Id);
            throw new DomainException(ErrorCodes.InvalidCredentials, localizer["Error.invalid_credentials"]);
        }
        var roles = (await users.GetRolesAsync(user)).Order().ToList();
        return new TokenResponse(Mint(user, roles), "Bearer", options.Value.TokenLifetimeMinutes * 60, roles);
    }

    public string Mint(AppUser user, IReadOnlyList<string> roles)
    {
        var o = options.Value;
        // Tokens live in wall-clock time (validated by the JWT handler), whatever the domain clock says.
        var now = DateTime.UtcNow;
        var claims = new List<Claim>
        {
            new(JwtRegisteredClaimNames.Sub, user.Id.ToString()),
            new(ClaimTypes.NameIdentifier, user.Id.ToString()),
            new(JwtRegisteredClaimNames.Email, user.Email ?? ""),
            new(ClaimTypes.Name, user.DisplayName),
            new("lang", user.PreferredLanguage),
        };
        claims.AddRange(roles.Select(r => new Claim(ClaimTypes.Role, r)));
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity(claims),
            Issuer = o.Issuer,
            Audience = o.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(o.TokenLifetimeMinutes),
            SigningCredentials = new SigningCredentials(keys.Key, SecurityAlgorithms.HmacSha256),
        });
    }
}
