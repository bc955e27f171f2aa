using System.IO.Compression;
using Microsoft.AspNetCore.Identity;

namespace Ticketing.Core.Accounts;

/// <summary>
/// Refuses a password found in a list of common and leaked passwords shipped with the app (49,233 entries, from
/// zxcvbn's password list as packaged in the MIT-licensed npm package <c>@zxcvbn-ts/language-common</c> 4.1.3, itself
/// drawn from leaked-password corpora; see docs/installation.md), compared case-insensitively, also once trailing digits
/// and symbols are taken off (<c>Baseball2026!</c> is <c>baseball</c>). Only new passwords are checked: existing accounts
/// keep signing in with theirs.
/// </summary>
public sealed class CommonPasswordValidator : IPasswordValidator<AppUser>
{
    public const string ErrorCode = "PasswordTooCommon";
    private const string ResourceName = "Ticketing.Core.Accounts.common-passwords.txt.gz";
    private static readonly Lazy<HashSet<string>> List = new(Load);

    public Task<IdentityResult> ValidateAsync(UserManager<AppUser> manager, AppUser user, string? password) =>
        Task.FromResult(password is not null && IsCommon(password)
            ? IdentityResult.Failed(new IdentityError { Code = ErrorCode, Description = "This password is too common." })
            : IdentityResult.Success);

    public static bool IsCommon(string password)
    {
        var normalized = password.Trim().ToLowerInvariant();
        var core = normalized.TrimEnd(TrailingNoise);
        return List.Value.Contains(normalized) || (core.Length > 0 && List.Value.Contains(core));
    }

    public static int Count => List.Value.Count;

    private static readonly char[] TrailingNoise = "0123456789!?.,;:-_*#@$%&+=~^ ".ToCharArray();

    private static HashSet<string> Load()
    {
        using var stream = typeof(CommonPasswordValidator).Assembly.GetManifestResourceStream(ResourceName)
                           ?? throw new InvalidOperationException($"Embedded resource {ResourceName} is missing.");
        using var reader = new StreamReader(new GZipStream(stream, CompressionMode.Decompress));
        var set = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
            if (line.Length > 0) set.Add(line);
        return set;
    }
}
