using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Ticketing.Core.Common;
using Ticketing.Core.Persistence;

namespace Ticketing.Core.Accounts;

public sealed record TokenResponse(string AccessToken, string TokenType, int ExpiresIn, IReadOnlyList<string> Roles, string RefreshToken);

public sealed record RefreshRequest(string? RefreshToken);

/// <summary>Holds the JWT signing key (loaded once at start, shared by every instance through the database).</summary>
public sealed class JwtKeyProvider(SecretStore secrets, IOptions<AuthOptions> options)
{
    private SymmetricSecurityKey? _key;

    public SymmetricSecurityKey Key => _key ?? throw new InvalidOperationException("The JWT signing key is not loaded yet.");

    public async Task InitializeAsync(CancellationToken ct = default) =>
        _key = new SymmetricSecurityKey(await secrets.GetOrCreateKeyAsync("jwt-signing-key", options.Value.JwtSigningKey, 64, ct)) { KeyId = "ticketing-1" };
}

/// <summary>
/// Access and refresh tokens. An access token lives <c>Auth:AccessTokenMinutes</c> (at most 15) and carries the hash of the
/// account's security stamp, checked on every request; a refresh token is single-use and stored hashed, each refresh
/// gives the next one of its family, and presenting a spent one again revokes the family.
/// </summary>
public sealed class TokenService(
    UserManager<AppUser> users,
    CredentialChecker credentials,
    JwtKeyProvider keys,
    IDbContextFactory<TicketingDbContext> dbFactory,
    IOptions<AuthOptions> options,
    TimeProvider clock,
    IStringLocalizer<SharedResource> localizer,
    ILogger<TokenService> logger)
{
    /// <summary>The claim holding <see cref="AccountStampCache.Hash"/> of the security stamp the token was issued under.</summary>
    public const string StampClaim = "sst";

    /// <summary><c>POST /api/auth/token</c>: checks the password (throttled per account and client) and starts a token family.</summary>
    public async Task<TokenResponse> CreateTokenAsync(string? email, string? password, string client)
    {
        var user = await credentials.CheckAsync(email, password, client);
        return await IssueAsync(user, Guid.CreateVersion7());
    }

    /// <summary><c>POST /api/auth/refresh</c>: spends the refresh token and answers the next pair of the same family.</summary>
    public async Task<TokenResponse> RefreshAsync(string? refreshToken, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(refreshToken) || refreshToken.Length > 200)
            throw new RequestValidationException(new Dictionary<string, string[]> { ["refreshToken"] = [localizer["Validation.Required"]] });
        var hash = HashToken(refreshToken);
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.RefreshTokens.AsNoTracking().SingleOrDefaultAsync(t => t.TokenHash == hash, ct);
        if (row is null || row.RevokedAt is not null || row.ExpiresAt <= now) throw InvalidRefreshToken();
        // A revoked family (reuse, sign-out) stays revoked, also for a token issued by a refresh that was racing the revocation.
        if (await db.RefreshTokens.AnyAsync(t => t.FamilyId == row.FamilyId && t.RevokedAt != null, ct)) throw InvalidRefreshToken();

        // Spent exactly once, whatever races: the conditional update is the only writer of SpentAt. The loser of a race
        // revokes the family only after the winner's check above, so the winner gets its answer (then its token is refused).
        var spent = await db.RefreshTokens.Where(t => t.Id == row.Id && t.SpentAt == null && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.SpentAt, now), ct);
        if (spent == 0)
        {
            await RevokeFamilyAsync(db, row.FamilyId, now, ct);
            logger.LogWarning("Refresh token reused: family {FamilyId} of user {UserId} revoked", row.FamilyId, row.UserId);
            throw InvalidRefreshToken();
        }

        var user = await users.FindByIdAsync(row.UserId.ToString());
        if (user is null || user.DeletedAt is not null || await users.IsLockedOutAsync(user)
            || AccountStampCache.Hash(user.SecurityStamp) != row.StampHash)
        {
            await RevokeFamilyAsync(db, row.FamilyId, now, ct);
            logger.LogInformation("Refresh refused: account {UserId} changed since its sign-in", row.UserId);
            throw InvalidRefreshToken();
        }
        return await IssueAsync(user, row.FamilyId);
    }

    /// <summary>
    /// Sign-out (API and sign-in cookie): the account's refresh tokens are revoked and its security stamp changes, so that
    /// every access token and cookie issued before stops working (at once here, within <c>Auth:RevalidateSeconds</c> elsewhere).
    /// </summary>
    public async Task SignOutEverywhereAsync(Guid userId, CancellationToken ct = default)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var now = clock.GetUtcNow();
            await db.RefreshTokens.Where(t => t.UserId == userId && t.RevokedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), ct);
        }
        var user = await users.FindByIdAsync(userId.ToString());
        if (user is null) return;
        var result = await users.UpdateSecurityStampAsync(user);
        if (!result.Succeeded) throw new InvalidOperationException("Sign-out failed: " + string.Join(", ", result.Errors.Select(e => e.Code)));
        logger.LogInformation("User {UserId} signed out: sessions and refresh tokens revoked", userId);
    }

    private async Task<TokenResponse> IssueAsync(AppUser user, Guid familyId)
    {
        var o = options.Value;
        var roles = (await users.GetRolesAsync(user)).Order().ToList();
        var value = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync();
        db.RefreshTokens.Add(new RefreshToken
        {
            Id = Guid.CreateVersion7(), UserId = user.Id, FamilyId = familyId, TokenHash = HashToken(value),
            StampHash = AccountStampCache.Hash(user.SecurityStamp), CreatedAt = now, ExpiresAt = now.AddDays(o.RefreshTokenDays),
        });
        await db.SaveChangesAsync();
        return new TokenResponse(Mint(user, roles), "Bearer", o.AccessTokenMinutes * 60, roles, value);
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
            new(StampClaim, AccountStampCache.Hash(user.SecurityStamp)),
        };
        claims.AddRange(roles.Select(r => new Claim(ClaimTypes.Role, r)));
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity(claims),
            Issuer = o.Issuer,
            Audience = o.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(o.AccessTokenMinutes),
            SigningCredentials = new SigningCredentials(keys.Key, SecurityAlgorithms.HmacSha256),
        });
    }

    private static Task RevokeFamilyAsync(TicketingDbContext db, Guid familyId, DateTimeOffset now, CancellationToken ct) =>
        db.RefreshTokens.Where(t => t.FamilyId == familyId && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), ct);

    private DomainException InvalidRefreshToken() =>
        new(ErrorCodes.InvalidRefreshToken, localizer["Error.invalid_refresh_token"]);

    private static string HashToken(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
}
