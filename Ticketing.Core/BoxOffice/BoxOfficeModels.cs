using Ticketing.Core.Orders;

namespace Ticketing.Core.BoxOffice;

/// <summary>How the money was taken at the desk (the Payment's provider, the receipt's method).</summary>
public enum BoxOfficeMethod { Cash, CardTerminal, BankTransfer }

/// <summary><c>POST /api/events/{id}/box-office-sales</c>.</summary>
public sealed record BoxOfficeSaleRequest(Guid PerformanceId, IReadOnlyList<PlaceOrderItem>? Items, BoxOfficeMethod? Method, string? Reference, BoxOfficeBuyer? Buyer);

public sealed record BoxOfficeBuyer(string? DisplayName, string? Email, string? Language = null);

/// <summary>One line of the sales report: what the desk sold by one method.</summary>
public sealed record BoxOfficeSales(string Method, int Orders, int Tickets, long RevenueMinor);
