namespace Ticketing.Core.Accounts;

public sealed record RegisterRequest(string? Email, string? Password, string? DisplayName, string? PhoneNumber = null,
    string? PreferredLanguage = null, string? NotificationChannel = null);

public sealed record UserSummary(Guid Id, string Email, string DisplayName, IReadOnlyList<string> Roles);

public sealed record Profile(Guid Id, string Email, string DisplayName, string? PhoneNumber, string PreferredLanguage,
    string NotificationChannel, IReadOnlyList<string> Roles, bool EmailConfirmed);

public sealed record UpdateProfileRequest(string? DisplayName, string? PhoneNumber, string? PreferredLanguage, string? NotificationChannel);

public sealed record AdminUser(Guid Id, string Email, string DisplayName, string? PhoneNumber, string PreferredLanguage,
    string NotificationChannel, IReadOnlyList<string> Roles, bool IsLocked, bool IsDeleted, DateTimeOffset CreatedAt);

public sealed record CreateUserRequest(string? Email, string? Password, string? DisplayName, IReadOnlyList<string>? Roles,
    string? PhoneNumber = null, string? PreferredLanguage = null);

public sealed record UpdateUserRequest(string? DisplayName, string? PhoneNumber, IReadOnlyList<string>? Roles, bool? IsLocked);
