using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Ticketing.Core.Accounts;

namespace Ticketing.Web.Features.Auth;

/// <summary>
/// The bearer tokens this instance has already validated (signature, issuer, audience, lifetime), so that a fan pressing
/// "Book" again during an on-sale is not parsed and HMAC-checked again on every press. A hit is exactly as good as a
/// validation: the signing key never changes while the process runs, the entry is keyed by the whole token string
/// (ordinal), it only holds successes, and it ends at the token's own expiry (in wall-clock time like the validation, without the clock skew it allows).
/// Bounded by <c>Auth:ValidatedTokenCacheSize</c> (0 turns it off): when full, expired entries go, and if none had
/// expired everything goes (the tokens still in use come back at their next request).
/// </summary>
public sealed class ValidatedTokenCache(IOptions<AuthOptions> options)
{
    public sealed record Entry(ClaimsIdentity Identity, SecurityToken Token, DateTime ExpiresUtc);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly int _capacity = Math.Max(0, options.Value.ValidatedTokenCacheSize);

    public int Count => _entries.Count;

    /// <summary>True when <paramref name="token"/> was validated here and has not expired since.</summary>
    public bool TryGet(string token, out Entry entry)
    {
        if (_entries.TryGetValue(token, out entry!))
        {
            if (DateTime.UtcNow < entry.ExpiresUtc) return true;
            _entries.TryRemove(token, out _);
        }
        entry = null!;
        return false;
    }

    /// <summary>Remembers a successful validation (a token without an expiry is never remembered).</summary>
    public void Remember(string token, TokenValidationResult result)
    {
        if (_capacity == 0 || !result.IsValid || result.ClaimsIdentity is null || result.SecurityToken is not { } securityToken) return;
        var expires = securityToken.ValidTo;
        if (expires == DateTime.MinValue || expires <= DateTime.UtcNow) return;
        if (_entries.Count >= _capacity) Trim();
        _entries[token] = new Entry(result.ClaimsIdentity, securityToken, expires);
    }

    private void Trim()
    {
        var now = DateTime.UtcNow;
        foreach (var (token, entry) in _entries)
        {
            if (entry.ExpiresUtc <= now) _entries.TryRemove(token, out _);
        }
        if (_entries.Count >= _capacity) _entries.Clear();
    }
}

/// <summary>The JWT bearer handler's token handler, with <see cref="ValidatedTokenCache"/> in front of the validation.</summary>
public sealed class CachingJsonWebTokenHandler(ValidatedTokenCache cache) : JsonWebTokenHandler
{
    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        if (cache.TryGet(token, out var hit))
        {
            // Each request gets its own identity (claims transformations and handlers may add to it); the claims are shared.
            return new TokenValidationResult
            {
                IsValid = true,
                ClaimsIdentity = hit.Identity.Clone(),
                SecurityToken = hit.Token,
                Issuer = hit.Token.Issuer,
            };
        }
        var result = await base.ValidateTokenAsync(token, validationParameters);
        cache.Remember(token, result);
        return result;
    }
}
