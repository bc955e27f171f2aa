namespace Ticketing.Core.Receipts;

/// <summary>A receipt (<c>R-2027-000123</c>) for a payment, or a credit note (<c>C-2027-000001</c>) for a refund.</summary>
public enum ReceiptKind { Receipt, CreditNote }
