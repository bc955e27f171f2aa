namespace Ticketing.Core.Guests;

/// <summary>
/// Who bought a guest order (an order placed with an email address and no account): the address as typed (where the
/// confirmation goes), its normalised form (what the caps and a later account match) and the language of the mails.
/// One row per guest order, written in the hold's transaction with the order.
/// </summary>
public sealed class GuestBuyer
{
    public Guid OrderId { get; set; }
    public string Email { get; set; } = "";
    public string NormalizedEmail { get; set; } = "";
    public string Language { get; set; } = "en";
}
