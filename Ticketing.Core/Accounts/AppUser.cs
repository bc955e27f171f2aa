using Microsoft.AspNetCore.Identity;

namespace Ticketing.Core.Accounts;

public enum NotificationChannel { Email, Sms }

public sealed class AppUser : IdentityUser<Guid>
{
    public string DisplayName { get; set; } = "";
    public string PreferredLanguage { get; set; } = "en";
    public NotificationChannel NotificationChannel { get; set; } = NotificationChannel.Email;
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>Set when the account was deleted: personal data is anonymised, orders and tickets are kept.</summary>
    public DateTimeOffset? DeletedAt { get; set; }
}

public sealed class AppRole : IdentityRole<Guid>
{
    public AppRole() { }
    public AppRole(string name) : base(name) { }
}

public static class Roles
{
    public const string Admin = "Admin";
    public const string Organizer = "Organizer";
    public const string Customer = "Customer";
    public const string OrganizerOrAdmin = Organizer + "," + Admin;
    public static readonly string[] All = [Admin, Organizer, Customer];

    public static bool IsKnown(string role) => All.Contains(role, StringComparer.Ordinal);
}

public static class Languages
{
    public static readonly string[] Supported = ["en", "fr"];
    public static bool IsSupported(string? lang) => lang is not null && Supported.Contains(lang);
}

public static class AppClaims
{
    public const string DisplayName = "display_name";
}
