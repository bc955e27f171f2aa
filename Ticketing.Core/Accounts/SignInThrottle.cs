using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Ticketing.Core.Accounts;

/// <summary>
/// Wrong passwords counted per account AND client (address): after <c>Auth:Lockout:FreeFailures</c> a client waits
/// <c>BaseSeconds</c>, doubled at each further failure up to <c>MaxSeconds</c>; a success or a quiet <c>MaxSeconds</c>
/// starts again. The account itself is never locked by failures, so a stranger cannot lock its owner out.
/// Kept in memory per instance (the per-address rate limit bounds what several instances add up to).
/// </summary>
public sealed class SignInThrottle(IOptions<AuthOptions> options, TimeProvider clock)
{
    private readonly record struct State(int Failures, DateTimeOffset LastFailure);

    private readonly ConcurrentDictionary<(string Account, string Client), State> _states = new();
    private readonly SignInLockoutOptions _o = options.Value.Lockout;
    private string? _dummyHash;

    /// <summary>How long this client must still wait before trying this account again (null: it may try now).</summary>
    public TimeSpan? RetryAfter(string account, string client)
    {
        var key = (Normalize(account), client);
        if (!_states.TryGetValue(key, out var state)) return null;
        var now = clock.GetUtcNow();
        if (now - state.LastFailure > TimeSpan.FromSeconds(_o.MaxSeconds))
        {
            _states.TryRemove(new KeyValuePair<(string, string), State>(key, state));
            return null;
        }
        var until = state.LastFailure + WaitAfter(state.Failures);
        return until > now ? until - now : null;
    }

    public void Failed(string account, string client)
    {
        if (_states.Count >= _o.MaxEntries) Trim();
        var now = clock.GetUtcNow();
        _states.AddOrUpdate((Normalize(account), client), _ => new State(1, now),
            (_, s) => now - s.LastFailure > TimeSpan.FromSeconds(_o.MaxSeconds) ? new State(1, now) : new State(s.Failures + 1, now));
    }

    public void Succeeded(string account, string client) => _states.TryRemove((Normalize(account), client), out _);

    /// <summary>Forgets every count (tests start from a clean state).</summary>
    public void Clear() => _states.Clear();

    /// <summary>A bcrypt hash of nothing anyone knows, checked for unknown accounts so that they answer as slowly as known ones.</summary>
    public string DummyHash(Func<string> create) => _dummyHash ??= create();

    private TimeSpan WaitAfter(int failures)
    {
        if (failures < _o.FreeFailures) return TimeSpan.Zero;
        var seconds = Math.Min((double)_o.MaxSeconds, _o.BaseSeconds * Math.Pow(2, Math.Min(30, failures - _o.FreeFailures)));
        return TimeSpan.FromSeconds(seconds);
    }

    private void Trim()
    {
        var now = clock.GetUtcNow();
        foreach (var (key, state) in _states)
            if (now - state.LastFailure > TimeSpan.FromSeconds(_o.MaxSeconds)) _states.TryRemove(key, out _);
        if (_states.Count >= _o.MaxEntries) _states.Clear();
    }

    private static string Normalize(string account) => account.Trim().ToUpperInvariant();
}
