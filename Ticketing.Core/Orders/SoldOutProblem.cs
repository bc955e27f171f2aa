using Microsoft.Extensions.Localization;
using Ticketing.Core.Common;

namespace Ticketing.Core.Orders;

/// <summary>
/// The one <c>409 sold_out</c> answer: its code, its message (<c>Error.sold_out</c>, in the caller's language) and its one
/// extension (<c>available: 0</c>). The services throw <see cref="Exception"/> (the exception handler writes it); the
/// fast path of Ticketing.Web (<c>SoldOutAnswer</c>) writes the same fields from here, without an exception.
/// </summary>
public static class SoldOutProblem
{
    public const string Code = ErrorCodes.SoldOut;
    public const string MessageKey = "Error." + ErrorCodes.SoldOut;
    public const string AvailableKey = "available";

    /// <summary>What a sold-out answer reports left: nothing.</summary>
    public const int Available = 0;

    public static string Message(IStringLocalizer localizer) => localizer[MessageKey].Value;

    public static DomainException Exception(IStringLocalizer localizer) =>
        new(Code, Message(localizer), new Dictionary<string, object?> { [AvailableKey] = Available });
}
