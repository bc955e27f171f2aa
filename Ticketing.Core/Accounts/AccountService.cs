using System.Net.Mail;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;
using Ticketing.Core.Common;

namespace Ticketing.Core.Accounts;

/// <summary>Registration and the signed-in user's own profile. Used by the API and the Blazor pages alike.</summary>
public sealed partial class AccountService(
    UserManager<AppUser> users,
    EmailConfirmationService emailConfirmations,
    IStringLocalizer<SharedResource> localizer,
    TimeProvider clock,
    ILogger<AccountService> logger)
{
    public async Task<UserSummary> RegisterAsync(RegisterRequest request, CancellationToken ct = default)
    {
        var v = new Validator(localizer);
        var email = request.Email?.Trim() ?? "";
        ValidateEmail(v, email);
        v.Require(!string.IsNullOrEmpty(request.Password), "password", "Validation.Required");
        ValidateProfile(v, request.DisplayName, request.PhoneNumber, request.PreferredLanguage, request.NotificationChannel);
        if (!string.IsNullOrEmpty(request.Password))
            await ValidatePasswordAsync(v, request.Password);
        v.ThrowIfInvalid();

        var user = new AppUser
        {
            Id = Guid.CreateVersion7(),
            UserName = email,
            Email = email,
            DisplayName = request.DisplayName!.Trim(),
            PhoneNumber = PhoneNumbers.ToE164(request.PhoneNumber),
            PreferredLanguage = request.PreferredLanguage ?? "en",
            NotificationChannel = ParseChannel(request.NotificationChannel),
            CreatedAt = clock.GetUtcNow(),
        };
        await CreateAsync(user, request.Password!, [Roles.Customer]);
        logger.LogInformation("User {UserId} registered", user.Id);
        await emailConfirmations.QueueAsync(user, ct);
        return new UserSummary(user.Id, user.Email!, user.DisplayName, [Roles.Customer]);
    }

    /// <summary>Creates the user and its roles; a duplicate email (also under a race) is <c>email_taken</c>.</summary>
    internal async Task CreateAsync(AppUser user, string password, IEnumerable<string> roles)
    {
        if (await users.FindByEmailAsync(user.Email!) is not null)
            throw new DomainException(ErrorCodes.EmailTaken, localizer["Error.email_taken"]);
        IdentityResult result;
        try { result = await users.CreateAsync(user, password); }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            // Only the duplicate email (another registration won the race) is email_taken; any other failure stays an error.
            if (await users.FindByEmailAsync(user.Email!) is null) throw;
            throw new DomainException(ErrorCodes.EmailTaken, localizer["Error.email_taken"]);
        }
        if (!result.Succeeded)
        {
            if (result.Errors.Any(e => e.Code is "DuplicateUserName" or "DuplicateEmail"))
                throw new DomainException(ErrorCodes.EmailTaken, localizer["Error.email_taken"]);
            throw new RequestValidationException(new Dictionary<string, string[]>
            {
                ["password"] = [localizer[PasswordMessageKey(result)]],
            });
        }
        var roleResult = await users.AddToRolesAsync(user, roles);
        if (!roleResult.Succeeded)
            throw new InvalidOperationException("Could not assign roles: " + string.Join(", ", roleResult.Errors.Select(e => e.Code)));
    }

    public async Task<Profile> GetProfileAsync(Guid userId)
    {
        var user = await users.FindByIdAsync(userId.ToString());
        if (user is null || user.DeletedAt is not null) throw new NotFoundException();
        return await ToProfileAsync(user);
    }

    public async Task<Profile> UpdateProfileAsync(Guid userId, UpdateProfileRequest request)
    {
        var user = await users.FindByIdAsync(userId.ToString());
        if (user is null || user.DeletedAt is not null) throw new NotFoundException();
        var v = new Validator(localizer);
        ValidateProfile(v, request.DisplayName, request.PhoneNumber, request.PreferredLanguage, request.NotificationChannel);
        v.ThrowIfInvalid();
        user.DisplayName = request.DisplayName!.Trim();
        user.PhoneNumber = PhoneNumbers.ToE164(request.PhoneNumber);
        if (request.PreferredLanguage is not null) user.PreferredLanguage = request.PreferredLanguage;
        if (request.NotificationChannel is not null) user.NotificationChannel = ParseChannel(request.NotificationChannel);
        var result = await users.UpdateAsync(user);
        if (!result.Succeeded) throw new InvalidOperationException("Profile update failed: " + string.Join(", ", result.Errors.Select(e => e.Code)));
        logger.LogInformation("User {UserId} updated their profile", user.Id);
        return await ToProfileAsync(user);
    }

    private async Task<Profile> ToProfileAsync(AppUser user) =>
        new(user.Id, user.Email!, user.DisplayName, user.PhoneNumber, user.PreferredLanguage, user.NotificationChannel.ToString(),
            (await users.GetRolesAsync(user)).Order().ToList(), user.EmailConfirmed);

    internal void ValidateEmail(Validator v, string email)
    {
        if (string.IsNullOrWhiteSpace(email)) { v.Add("email", "Validation.Required"); return; }
        if (email.Length > 256 || UserText.Check(email) != TextProblem.None || !MailAddress.TryCreate(email, out var parsed) || parsed.Address != email || !email.Contains('.'))
            v.Add("email", "Validation.Email");
    }

    internal async Task ValidatePasswordAsync(Validator v, string password, string field = "password")
    {
        foreach (var validator in users.PasswordValidators)
        {
            var r = await validator.ValidateAsync(users, new AppUser(), password);
            if (!r.Succeeded) { v.Add(field, PasswordMessageKey(r)); return; }
        }
    }

    public const int MaxDisplayName = 100;

    /// <summary>A common or leaked password says so; any other refusal states the rule (12 characters at least).</summary>
    private static string PasswordMessageKey(IdentityResult result) =>
        result.Errors.Any(e => e.Code == CommonPasswordValidator.ErrorCode) ? "Validation.PasswordTooCommon" : "Validation.PasswordPolicy";

    internal static void ValidateProfile(Validator v, string? displayName, string? phone, string? language, string? channel)
    {
        v.Text("displayName", displayName, MaxDisplayName, required: true);
        if (!string.IsNullOrWhiteSpace(phone) && PhoneNumbers.ToE164(phone) is null) v.Add("phoneNumber", "Validation.Phone");
        if (language is not null && !Languages.IsSupported(language)) v.Add("preferredLanguage", "Validation.Language");
        if (channel is not null && !Enum.TryParse<NotificationChannel>(channel, ignoreCase: true, out _))
            v.Add("notificationChannel", "Validation.Channel");
        if (string.Equals(channel, "Sms", StringComparison.OrdinalIgnoreCase) && string.IsNullOrWhiteSpace(phone))
            v.Add("phoneNumber", "Validation.PhoneRequiredForSms");
    }

    internal static NotificationChannel ParseChannel(string? channel) =>
        Enum.TryParse<NotificationChannel>(channel, ignoreCase: true, out var c) ? c : NotificationChannel.Email;

    internal static string? NullIfEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}

public static partial class PhoneNumbers
{
    /// <summary>Numbers written without a country code are French ones ("06 12 34 56 78").</summary>
    public const string DefaultRegion = "FR";

    /// <summary>
    /// A phone number as people write it, national ("06 12 34 56 78", French by default) or international ("+33 6 12 34
    /// 56 78", "0033 6..."), as E.164 ("+33612345678"); null when empty or not a possible number (libphonenumber).
    /// </summary>
    public static string? ToE164(string? input, string defaultRegion = DefaultRegion)
    {
        if (string.IsNullOrWhiteSpace(input) || input.Length > 40) return null;
        var util = global::PhoneNumbers.PhoneNumberUtil.GetInstance();
        try
        {
            var parsed = util.Parse(input.Trim(), defaultRegion);
            return util.IsPossibleNumber(parsed) ? util.Format(parsed, global::PhoneNumbers.PhoneNumberFormat.E164) : null;
        }
        catch (global::PhoneNumbers.NumberParseException) { return null; }
    }

    /// <summary>E.164: a plus, a country code not starting with 0, up to 15 digits in all.</summary>
    public static bool IsE164(string? phone) => phone is not null && E164().IsMatch(phone);

    [GeneratedRegex(@"^\+[1-9]\d{6,14}$")]
    private static partial Regex E164();
}
