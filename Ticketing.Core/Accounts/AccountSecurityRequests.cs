namespace Ticketing.Core.Accounts;

/// <summary><c>POST /api/me/password</c>: the current password re-authenticates the change.</summary>
public sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword);

/// <summary><c>POST /api/me/email</c>: the current password re-authenticates; the new address confirms the change by its link.</summary>
public sealed record ChangeEmailRequest(string? CurrentPassword, string? NewEmail);

/// <summary><c>POST /api/auth/confirm-email-change</c>: the account id, new address and token come from the link mailed to the new address.</summary>
public sealed record ConfirmEmailChangeRequest(Guid? UserId, string? Email, string? Token);

/// <summary><c>DELETE /api/me</c>: the current password re-authenticates (<c>password</c> is the contract's name, <c>currentPassword</c> accepted too).</summary>
public sealed record DeleteAccountRequest(string? CurrentPassword, string? Password = null);

/// <summary><c>POST /api/auth/confirm-erase</c>: the account id and token come from the link mailed to an account without a password.</summary>
public sealed record ConfirmEraseRequest(Guid? UserId, string? Token);

/// <summary>202 of <c>DELETE /api/me</c> for an account without a password: the erase waits for the mailed link.</summary>
public sealed record EraseLinkSent(string Email, bool ConfirmationSent = true);
