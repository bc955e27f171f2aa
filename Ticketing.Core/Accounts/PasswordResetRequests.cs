namespace Ticketing.Core.Accounts;

/// <summary><c>POST /api/auth/forgot-password</c>.</summary>
public sealed record ForgotPasswordRequest(string? Email);

/// <summary><c>POST /api/auth/reset-password</c>: the email and token come from the link in the mail.</summary>
public sealed record ResetPasswordRequest(string? Email, string? Token, string? NewPassword);
