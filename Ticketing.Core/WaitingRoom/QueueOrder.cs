using System.Security.Cryptography;
using System.Text;

namespace Ticketing.Core.WaitingRoom;

/// <summary>
/// The public, recomputable order of a pre-queue: each entry's key is hex SHA-256(seed bytes ‖ UTF-8 of the entry id in
/// its "D" form, lower case), and places are the ranks of the keys in ascending ordinal order. Pure: no I/O.
/// </summary>
public static class QueueOrder
{
    public static string Commitment(byte[] seed) => Convert.ToHexStringLower(SHA256.HashData(seed));

    public static string Key(byte[] seed, Guid entryId)
    {
        var id = Encoding.UTF8.GetBytes(entryId.ToString("D"));
        var buffer = new byte[seed.Length + id.Length];
        seed.CopyTo(buffer, 0);
        id.CopyTo(buffer, seed.Length);
        return Convert.ToHexStringLower(SHA256.HashData(buffer));
    }

    /// <summary>The entries in their places' order (first place first).</summary>
    public static IReadOnlyList<Guid> Rank(byte[] seed, IEnumerable<Guid> entryIds) =>
        entryIds.Select(id => (Id: id, Key: Key(seed, id))).OrderBy(x => x.Key, StringComparer.Ordinal).ThenBy(x => x.Id).Select(x => x.Id).ToList();
}
