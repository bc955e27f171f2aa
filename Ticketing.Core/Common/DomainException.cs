namespace Ticketing.Core.Common;

/// <summary>
/// A business rule refused the operation. <see cref="Code"/> is the stable machine code of the API contract (its HTTP
/// status is the web's business: <c>Ticketing.Web.Http.ProblemStatus</c>).
/// </summary>
public class DomainException(string code, string? detail = null, IReadOnlyDictionary<string, object?>? data = null)
    : Exception(detail ?? code)
{
    public string Code { get; } = code;

    /// <summary>Extra, non-sensitive values for the problem details (e.g. available seats).</summary>
    public IReadOnlyDictionary<string, object?> Extensions { get; } = data ?? new Dictionary<string, object?>();
}

public sealed class NotFoundException(string? detail = null) : DomainException(ErrorCodes.NotFound, detail);

public sealed class ForbiddenException(string? detail = null) : DomainException(ErrorCodes.Forbidden, detail);

/// <summary>Invalid input: field name -> localized messages. Answers 400 with an <c>errors</c> map.</summary>
public sealed class RequestValidationException(IDictionary<string, string[]> errors)
    : DomainException(ErrorCodes.Validation, "One or more validation errors occurred.")
{
    public IDictionary<string, string[]> Errors { get; } = errors;
}

public static class ErrorCodes
{
    public const string SoldOut = "sold_out";
    public const string InsufficientAvailability = "insufficient_availability";
    public const string PurchaseLimitExceeded = "purchase_limit_exceeded";
    public const string SalesNotOpen = "sales_not_open";
    public const string SalesClosed = "sales_closed";
    public const string HoldExpired = "hold_expired";
    public const string OrderNotPayable = "order_not_payable";
    public const string CardDeclined = "card_declined";
    public const string InsufficientFunds = "insufficient_funds";
    public const string CardExpired = "card_expired";
    public const string InvalidCard = "invalid_card";
    public const string EventHasSales = "event_has_sales";
    public const string EmailTaken = "email_taken";
    public const string InvalidCredentials = "invalid_credentials";
    public const string AccountLocked = "account_locked";
    public const string IdempotencyKeyReused = "idempotency_key_reused";
    public const string EventNotPublished = "event_not_published";
    public const string EventCancelled = "event_cancelled";
    public const string CapacityBelowSold = "capacity_below_sold";
    public const string OrderNotRefundable = "order_not_refundable";
    public const string PaymentInProgress = "payment_in_progress";
    public const string RefundFailed = "refund_failed";
    public const string OrderNotReleasable = "order_not_releasable";
    public const string Validation = "validation_failed";
    public const string NotFound = "not_found";
    public const string Forbidden = "forbidden";
    public const string RateLimited = "rate_limited";
    public const string Unauthorized = "unauthorized";
    public const string InvalidRefreshToken = "invalid_refresh_token";
    public const string TooManyAttempts = "too_many_attempts";
    public const string OriginProofRequired = "origin_proof_required";
    public const string AccountLimitExceeded = "account_limit_exceeded";
    public const string TicketUsed = "ticket_used";
    public const string UnsupportedCurrency = "unsupported_currency";
    public const string InvalidToken = "invalid_token";
    public const string DoorDeviceLimit = "door_device_limit";
    // External sign-in (OpenID Connect): shown on /account/external-error, never as an API answer.
    public const string ExternalAccessDenied = "external_access_denied";
    public const string ExternalProviderUnavailable = "external_provider_unavailable";
    public const string ExternalSignInFailed = "external_sign_in_failed";
    public const string ExternalEmailMissing = "external_email_missing";
    public const string ExternalEmailUnverified = "external_email_unverified";
    public const string CardEntryNotAllowed = "card_entry_not_allowed";
    public const string InvalidSignature = "invalid_signature";
    public const string HoldAlreadyActive = "hold_already_active";
    public const string EmailNotConfirmed = "email_not_confirmed";
    public const string TicketNotTransferable = "ticket_not_transferable";
    public const string TransferLimitReached = "transfer_limit_reached";
    public const string TicketVoided = "ticket_voided";
    public const string CompQuotaExceeded = "comp_quota_exceeded";
    public const string AdmissionRequired = "admission_required";
    public const string AdmissionInvalid = "admission_invalid";
    public const string WaitingRoomDisabled = "waiting_room_disabled";
    /// <summary>Re-authentication (password or email change, erasure) with a wrong current password.</summary>
    public const string WrongPassword = "wrong_password";
    /// <summary>The account has no password (created by an external sign-in): set one through the reset link first.</summary>
    public const string PasswordNotSet = "password_not_set";
    public const string ResaleAboveFaceValue = "resale_above_face_value";
    public const string ResaleDisabled = "resale_disabled";
    public const string ResaleListingUnavailable = "resale_listing_unavailable";
    public const string TicketNotResellable = "ticket_not_resellable";
    public const string WaitlistNotSoldOut = "waitlist_not_sold_out";
    /// <summary>A buyer's own refund request outside a reschedule's refund window (or with none).</summary>
    public const string RefundWindowClosed = "refund_window_closed";
    public const string AccessCodeInvalid = "access_code_invalid";
    public const string PromoInvalid = "promo_invalid";
    public const string PromoExpired = "promo_expired";
    public const string PromoExhausted = "promo_exhausted";
    // Reserved seating (issue 22).
    public const string SeatTaken = "seat_taken";
    public const string SeatingPlanEmpty = "seating_plan_empty";
    public const string SeatingPlanTooLarge = "seating_plan_too_large";
    public const string SeatLabelDuplicate = "seat_label_duplicate";
    // Webhooks (issue 25 item 6).
    public const string WebhookDisabled = "webhook_disabled";
    /// <summary>409: the box office and comps sell by count; a seated category is sold from its seat map only.</summary>
    /// <summary>503: the database refused a connection because it is saturated (its connection limit); try again shortly.</summary>
    public const string ServiceBusy = "service_busy";
}
