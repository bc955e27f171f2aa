namespace Ticketing.Core.Accounts;

/// <summary><c>POST /api/auth/forgot-password</c>.</summary>
public sealed record ForgotPasswordRequest(string? Email);

/// <summary><c>POST /api/auth/reset-password</c>: the email and token come from the link in the mail.</summary>
public sealed record ResetPasswordRequest(string? Email, string? Token, string? NewPassword);

/// <summary><c>POST /api/auth/confirm-email</c>: the account id and token come from the link in the mail.</summary>
public sealed record ConfirmEmailRequest(Guid? UserId, string? Token);
