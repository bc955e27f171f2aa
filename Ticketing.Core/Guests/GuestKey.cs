using System.Security.Cryptography;
using System.Text;

namespace Ticketing.Core.Guests;

/// <summary>
/// The account id that stands for a guest's email address: a guest order's <c>UserId</c>, so that everything keyed by the
/// buyer (per-account caps and their guard row, payments, releases, tickets) works for an address as for an account.
/// Derived from the normalised address (SHA-256), marked as a version-8 GUID: it can never equal a real account's id
/// (version 4 or 7). Not a secret: a guest proves itself with the order's signed link (<see cref="GuestAccess"/>).
/// </summary>
public static class GuestKey
{
    public static Guid For(string normalizedEmail)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes("ticketing-guest:" + normalizedEmail), hash);
        var bytes = hash[..16];
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x80); // version 8 (Guid's third field is little-endian: its high nibble is byte 7)
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 4122 variant
        return new Guid(bytes);
    }

    /// <summary>True for a guest's id (never for an account's).</summary>
    public static bool Is(Guid id) => id.Version == 8;

    /// <summary>The trimmed, upper-cased address (as Identity normalises it and as tickets received by transfer carry it).</summary>
    public static string Normalize(string email) => Tickets.TicketHolder.Normalize(email);
}
