using Ticketing.Core.Common;

namespace Ticketing.Web.Http;

/// <summary>The HTTP status the contract gives to each error code (docs/api.md, "Error codes"); 409 unless listed.</summary>
public static class ProblemStatus
{
    public static int For(string code) => code switch
    {
        ErrorCodes.CardDeclined or ErrorCodes.InsufficientFunds or ErrorCodes.CardExpired => 402,
        ErrorCodes.InvalidCard or ErrorCodes.Validation or ErrorCodes.UnsupportedCurrency or ErrorCodes.InvalidToken
            or ErrorCodes.CardEntryNotAllowed or ErrorCodes.InvalidSignature or ErrorCodes.PasswordNotSet
            or ErrorCodes.SeatingPlanEmpty or ErrorCodes.SeatingPlanTooLarge or ErrorCodes.SeatLabelDuplicate => 400,
        ErrorCodes.InvalidCredentials or ErrorCodes.InvalidRefreshToken => 401,
        ErrorCodes.Forbidden or ErrorCodes.OriginProofRequired or ErrorCodes.EmailNotConfirmed
            or ErrorCodes.AdmissionRequired or ErrorCodes.AdmissionInvalid or ErrorCodes.WrongPassword => 403,
        ErrorCodes.NotFound => 404,
        ErrorCodes.AccountLocked => 423,
        ErrorCodes.TooManyAttempts => 429,
        ErrorCodes.RefundFailed => 502,
        ErrorCodes.ServiceBusy => 503,
        _ => 409,
    };

    /// <summary>The status of a refusal.</summary>
    public static int Of(DomainException refusal) => For(refusal.Code);
}
