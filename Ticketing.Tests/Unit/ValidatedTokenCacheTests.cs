using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Ticketing.Core.Accounts;
using Ticketing.Web.Features.Auth;

namespace Ticketing.Tests.Unit;

public sealed class ValidatedTokenCacheTests
{
    private static readonly SymmetricSecurityKey Key = new(RandomNumberGenerator.GetBytes(64));

    private static readonly TokenValidationParameters Parameters = new()
    {
        ValidIssuer = "ticketing", ValidAudience = "ticketing-api", IssuerSigningKey = Key, ClockSkew = TimeSpan.Zero,
    };

    private static ValidatedTokenCache Cache(int size = 100) => new(Options.Create(new AuthOptions { ValidatedTokenCacheSize = size }));

    private static string Mint(string userId, DateTime expires, SymmetricSecurityKey? key = null) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity([new Claim(JwtRegisteredClaimNames.Sub, userId), new Claim(ClaimTypes.Role, "Customer")]),
            Issuer = "ticketing", Audience = "ticketing-api",
            NotBefore = expires.AddHours(-2), IssuedAt = expires.AddHours(-2), Expires = expires,
            SigningCredentials = new SigningCredentials(key ?? Key, SecurityAlgorithms.HmacSha256),
        });

    [Fact]
    public async Task AValidToken_IsRemembered_AndEachHitGetsItsOwnIdentityWithTheSameClaims()
    {
        var cache = Cache();
        var handler = new CachingJsonWebTokenHandler(cache);
        var token = Mint("u1", DateTime.UtcNow.AddMinutes(30));

        var first = await handler.ValidateTokenAsync(token, Parameters);
        Assert.True(first.IsValid);
        Assert.Equal(1, cache.Count);
        Assert.True(cache.TryGet(token, out _));

        var hit1 = await handler.ValidateTokenAsync(token, Parameters);
        var hit2 = await handler.ValidateTokenAsync(token, Parameters);
        Assert.True(hit1.IsValid);
        Assert.NotSame(hit1.ClaimsIdentity, hit2.ClaimsIdentity);
        Assert.Equal("u1", hit1.ClaimsIdentity.FindFirst(JwtRegisteredClaimNames.Sub)?.Value);
        Assert.True(hit1.ClaimsIdentity.HasClaim(ClaimTypes.Role, "Customer"));
        Assert.Equal(first.SecurityToken.ValidTo, hit1.SecurityToken.ValidTo);
        Assert.Equal("ticketing", hit1.Issuer);
        // The same claims, less the token's lifetime and audience (the entry keeps the lifetime: ValidTo above).
        Assert.Equal(first.ClaimsIdentity.Claims.Where(c => !ValidatedTokenCache.LifetimeClaims.Contains(c.Type)).Select(c => (c.Type, c.Value)),
            hit1.ClaimsIdentity.Claims.Select(c => (c.Type, c.Value)));
        Assert.Contains(first.ClaimsIdentity.Claims, c => c.Type == "exp");
        Assert.DoesNotContain(hit1.ClaimsIdentity.Claims, c => ValidatedTokenCache.LifetimeClaims.Contains(c.Type));
        Assert.Equal(first.ClaimsIdentity.GetType(), hit1.ClaimsIdentity.GetType());
        Assert.Equal(first.ClaimsIdentity.AuthenticationType, hit1.ClaimsIdentity.AuthenticationType);
    }

    [Fact]
    public async Task ForgedExpiredOrForeignTokens_AreRefusedAndNeverRemembered()
    {
        var cache = Cache();
        var handler = new CachingJsonWebTokenHandler(cache);
        var good = Mint("u1", DateTime.UtcNow.AddMinutes(30));
        Assert.True((await handler.ValidateTokenAsync(good, Parameters)).IsValid);

        var parts = good.Split('.');
        var forged = $"{parts[0]}.{parts[1]}.{(parts[2][0] == 'A' ? 'B' : 'A')}{parts[2][1..]}";
        var expired = Mint("u2", DateTime.UtcNow.AddMinutes(-1));
        var foreign = Mint("u3", DateTime.UtcNow.AddMinutes(30), new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(64)));
        foreach (var bad in new[] { forged, expired, foreign, "not-a-token" })
        {
            Assert.False((await handler.ValidateTokenAsync(bad, Parameters)).IsValid);
            Assert.False(cache.TryGet(bad, out _));
        }
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public void AnEntry_EndsAtTheTokensExpiry_AndTheCacheStaysWithinItsSize()
    {
        var cache = Cache(size: 3);
        var expiredToken = Mint("u0", DateTime.UtcNow.AddSeconds(-5));
        cache.Remember(expiredToken, Valid(expiredToken));
        Assert.Equal(0, cache.Count);

        var tokens = Enumerable.Range(1, 5).Select(i => Mint($"u{i}", DateTime.UtcNow.AddMinutes(30))).ToList();
        foreach (var t in tokens) cache.Remember(t, Valid(t));
        Assert.InRange(cache.Count, 1, 3);
        Assert.True(cache.TryGet(tokens[^1], out _));

        var off = Cache(size: 0);
        off.Remember(tokens[0], Valid(tokens[0]));
        Assert.Equal(0, off.Count);
    }

    private static TokenValidationResult Valid(string token)
    {
        var jwt = new JsonWebToken(token);
        return new TokenValidationResult { IsValid = true, SecurityToken = jwt, ClaimsIdentity = new ClaimsIdentity(jwt.Claims, "Bearer") };
    }
}
