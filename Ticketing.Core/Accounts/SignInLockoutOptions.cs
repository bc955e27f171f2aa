namespace Ticketing.Core.Accounts;

/// <summary>Failed passwords are counted per account AND client address: a stranger's failures never lock the owner out.</summary>
public sealed class SignInLockoutOptions
{
    /// <summary>Wrong passwords a client may try for one account before it has to wait.</summary>
    public int FreeFailures { get; set; } = 5;
    /// <summary>The first wait; each further failure doubles it, up to <see cref="MaxSeconds"/>.</summary>
    public int BaseSeconds { get; set; } = 30;
    /// <summary>The longest wait; after that long without a failure the client's count starts again.</summary>
    public int MaxSeconds { get; set; } = 900;
    /// <summary>Account+client pairs remembered per instance (the oldest quiet ones go first when full).</summary>
    public int MaxEntries { get; set; } = 100_000;
}
