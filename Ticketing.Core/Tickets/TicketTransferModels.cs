namespace Ticketing.Core.Tickets;

/// <summary><c>POST /api/tickets/{id}/transfer</c>: the recipient's address and, optionally, the name printed on the ticket.</summary>
public sealed record TransferTicketRequest(string? Email, string? DisplayName = null);

/// <summary>The answer of a transfer: the voided ticket and the one issued to the recipient (its code is theirs only).</summary>
public sealed record TicketTransferDto(Guid TicketId, string Status, Guid NewTicketId, string NewNumber, string RecipientName, int TransferCount);

/// <summary><c>PUT /api/events/{id}/transfer-rule</c> and its answer: "not transferable", or at most N transfers per ticket (null: no limit).</summary>
public sealed record TransferRuleDto(bool Transferable, int? MaxTransfersPerTicket);
