namespace Ticketing.Core.Codes;

/// <summary>What a code of an event does: open a presale (hidden categories, an early window) or take money off.</summary>
public enum EventCodeKind { Access, Promo }
