using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Ticketing.Core.Accounts;

namespace Ticketing.Web.Features.Auth;

/// <summary>
/// The bearer tokens this instance has already validated (signature, issuer, audience, lifetime), so that a fan pressing
/// "Book" again during an on-sale is not parsed and HMAC-checked again on every press. A hit is exactly as good as a
/// validation: the signing key never changes while the process runs, the entry is keyed by the SHA-256 of the whole
/// token (a forged token would need a second preimage), it only holds successes, and it ends at the token's own expiry
/// (in wall-clock time like the validation, without the clock skew it allows). A hit is the token's validation only: whether
/// its account's session still stands is asked of <see cref="AccountStampCache"/> on every request (the JWT handler's
/// OnTokenValidated, and <see cref="Entry.IsSessionCurrent"/> for the sold-out fast path), so the claims and roles kept
/// here never outlive a demotion, lock, deletion or sign-out by more than <c>Auth:RevalidateSeconds</c>.
/// An entry is small (the hash, the claims, the lifetime: 1-3 KB with the heap around it; not the token nor its parsed form).
/// Bounded by <c>Auth:ValidatedTokenCacheSize</c> (0 turns it off): when full, expired entries go, and if none had
/// expired everything goes (the tokens still in use come back at their next request).
/// </summary>
public sealed class ValidatedTokenCache(IOptions<AuthOptions> options)
{
    /// <summary>What a hit gives back: the claims of the validated token and its lifetime.</summary>
    public sealed class Entry(Claim[] claims, string? authenticationType, string nameType, string roleType, string issuer,
        DateTime validFromUtc, DateTime expiresUtc)
    {
        public DateTime ExpiresUtc { get; } = expiresUtc;

        private readonly Guid _userId = Guid.TryParse(claims.FirstOrDefault(c => c.Type == "sub")?.Value, out var id) ? id : Guid.Empty;
        private readonly string? _stampHash = claims.FirstOrDefault(c => c.Type == TokenService.StampClaim)?.Value;

        /// <summary>The account the token was minted for (<c>sub</c>; empty when it has none).</summary>
        public Guid UserId => _userId;

        /// <summary>From memory only: true when the account's session is known to still stand (false: ask the normal path).</summary>
        public bool IsSessionCurrent(AccountStampCache stamps) => _userId != Guid.Empty && stamps.IsKnownCurrent(_userId, _stampHash);

        /// <summary>A new identity per request (claims transformations and handlers may add to it).</summary>
        public ClaimsIdentity NewIdentity() => new CaseSensitiveClaimsIdentity(claims, authenticationType, nameType, roleType);

        public SecurityToken NewToken() => new ValidatedToken(issuer, validFromUtc, ExpiresUtc);
    }

    [StructLayout(LayoutKind.Sequential)]
    private readonly record struct Key(ulong A, ulong B, ulong C, ulong D);

    private readonly ConcurrentDictionary<Key, Entry> _entries = new();
    private readonly int _capacity = Math.Max(0, options.Value.ValidatedTokenCacheSize);
    // How many entries there are, kept by hand: ConcurrentDictionary.Count takes every lock of the dictionary, and at
    // one call per new token it was ~8% of the app's CPU during an on-sale (perf). Exact except for racing writers.
    private int _size;

    public int Count => _entries.Count;

    /// <summary>True when <paramref name="token"/> was validated here and has not expired since.</summary>
    public bool TryGet(string token, out Entry entry)
    {
        entry = null!;
        if (_capacity == 0) return false;
        var key = KeyOf(token);
        if (!_entries.TryGetValue(key, out var found)) return false;
        if (DateTime.UtcNow < found.ExpiresUtc)
        {
            entry = found;
            return true;
        }
        if (_entries.TryRemove(key, out _)) Interlocked.Decrement(ref _size);
        return false;
    }

    /// <summary>Remembers a successful validation (a token without an expiry is never remembered).</summary>
    public void Remember(string token, TokenValidationResult result)
    {
        if (_capacity == 0 || !result.IsValid || result.ClaimsIdentity is not { } identity || result.SecurityToken is not { } securityToken) return;
        var expires = securityToken.ValidTo;
        if (expires == DateTime.MinValue || expires <= DateTime.UtcNow) return;
        if (Volatile.Read(ref _size) >= _capacity) Trim();
        // Plain copies: no reference to the parsed token or to the request's identity is kept, and the few strings every
        // token repeats (claim types, value types, issuers) are stored once. The token's own lifetime and audience claims
        // are not copied (the entry keeps the lifetime, and nothing reads them from the principal), and a value two claims
        // repeat (sub and nameidentifier) is kept once: an entry is what each signed-in fan costs the server's memory
        // (a waiting room holds 100,000 of them; docs/performance.md).
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var claims = identity.Claims.Where(c => !LifetimeClaims.Contains(c.Type))
            .Select(c => new Claim(Shared(c.Type), values.TryAdd(c.Value, c.Value) ? c.Value : values[c.Value], Shared(c.ValueType),
                Shared(c.Issuer), Shared(c.OriginalIssuer))).ToArray();
        var entry = new Entry(claims, Shared(identity.AuthenticationType), Shared(identity.NameClaimType),
            Shared(identity.RoleClaimType), Shared(securityToken.Issuer), securityToken.ValidFrom, expires);
        var key = KeyOf(token);
        if (_entries.TryAdd(key, entry)) Interlocked.Increment(ref _size);
        else _entries[key] = entry;
    }

    /// <summary>The registered claims of the token's lifetime and audience, not kept in a cached identity.</summary>
    public static readonly HashSet<string> LifetimeClaims = ["iss", "aud", "iat", "nbf", "exp"];

    private readonly ConcurrentDictionary<string, string> _shared = new(StringComparer.Ordinal);

    /// <summary>One instance of a repeated string (bounded: our tokens carry a handful of claim types and one issuer).</summary>
    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(value))]
    private string? Shared(string? value) =>
        value is null ? null : _shared.TryGetValue(value, out var one) ? one : _shared.Count < 256 ? _shared.GetOrAdd(value, value) : value;

    private void Trim()
    {
        var now = DateTime.UtcNow;
        foreach (var (key, entry) in _entries)
        {
            if (entry.ExpiresUtc <= now && _entries.TryRemove(key, out _)) Interlocked.Decrement(ref _size);
        }
        if (_entries.Count >= _capacity) _entries.Clear();
        Volatile.Write(ref _size, _entries.Count);
    }

    private static Key KeyOf(string token)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        var max = Encoding.UTF8.GetMaxByteCount(token.Length);
        var rented = max <= 2048 ? null : System.Buffers.ArrayPool<byte>.Shared.Rent(max);
        Span<byte> utf8 = rented ?? stackalloc byte[2048];
        try
        {
            SHA256.HashData(utf8[..Encoding.UTF8.GetBytes(token, utf8)], hash);
        }
        finally
        {
            if (rented is not null) System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        }
        return MemoryMarshal.Read<Key>(hash);
    }

    /// <summary>The validated token's lifetime and issuer, for the JWT bearer handler (it reads ValidFrom/ValidTo).</summary>
    private sealed class ValidatedToken(string issuer, DateTime validFrom, DateTime validTo) : SecurityToken
    {
        public override string Id => string.Empty;
        public override string Issuer { get; } = issuer;
        public override SecurityKey? SecurityKey => null;
        public override SecurityKey? SigningKey { get; set; }
        public override DateTime ValidFrom { get; } = validFrom;
        public override DateTime ValidTo { get; } = validTo;
        public override string UnsafeToString() => "[validated bearer token]";
    }
}

/// <summary>The JWT bearer handler's token handler, with <see cref="ValidatedTokenCache"/> in front of the validation.</summary>
public sealed class CachingJsonWebTokenHandler(ValidatedTokenCache cache) : JsonWebTokenHandler
{
    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        if (cache.TryGet(token, out var hit))
        {
            var securityToken = hit.NewToken();
            return new TokenValidationResult
            {
                IsValid = true,
                ClaimsIdentity = hit.NewIdentity(),
                SecurityToken = securityToken,
                Issuer = securityToken.Issuer,
            };
        }
        var result = await base.ValidateTokenAsync(token, validationParameters);
        cache.Remember(token, result);
        return result;
    }
}
