namespace Ticketing.Core.Codes;

/// <summary>A promo code's discount: a percentage of each ticket's price, or a fixed amount off each ticket.</summary>
public enum DiscountKind { Percent, Amount }
