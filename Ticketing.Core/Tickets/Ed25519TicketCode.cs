using System.Buffers.Text;
using System.Text;
using NSec.Cryptography;

namespace Ticketing.Core.Tickets;

/// <summary>
/// The offline-verifiable ticket code: <c>TK2.</c> + base64url(ticket id ‖ performance id ‖ Ed25519 signature), the ids
/// written big-endian (their hex is the Guid's text, so a browser can read them), the signature over
/// <c>"ticketing.ticket.v2|"</c> ‖ the 32 id bytes. A door device holds only the public key: it can check a code with no
/// network, but cannot make one.
/// </summary>
public static class Ed25519TicketCode
{
    public const string Prefix = "TK2.";
    private const int PayloadLength = 32, SignatureLength = 64;
    private static readonly SignatureAlgorithm Algorithm = SignatureAlgorithm.Ed25519;
    private static readonly byte[] Domain = Encoding.ASCII.GetBytes("ticketing.ticket.v2|");

    public static Key ImportPrivateKey(byte[] seed) =>
        Key.Import(Algorithm, seed, KeyBlobFormat.RawPrivateKey);

    public static PublicKey ImportPublicKey(byte[] raw) => PublicKey.Import(Algorithm, raw, KeyBlobFormat.RawPublicKey);

    public static byte[] ExportPublicKey(Key key) => key.PublicKey.Export(KeyBlobFormat.RawPublicKey);

    public static string Sign(Key key, Guid ticketId, Guid performanceId)
    {
        var buffer = new byte[PayloadLength + SignatureLength];
        ticketId.TryWriteBytes(buffer.AsSpan(0, 16), bigEndian: true, out _);
        performanceId.TryWriteBytes(buffer.AsSpan(16, 16), bigEndian: true, out _);
        Algorithm.Sign(key, Message(buffer.AsSpan(0, PayloadLength)), buffer.AsSpan(PayloadLength));
        return Prefix + Base64Url.EncodeToString(buffer);
    }

    public static bool TryVerify(PublicKey key, string? code, out Guid ticketId, out Guid performanceId)
    {
        ticketId = performanceId = Guid.Empty;
        if (code is null) return false;
        code = code.Trim();
        if (!code.StartsWith(Prefix, StringComparison.Ordinal) || code.Length > 200) return false;
        var text = code.AsSpan(Prefix.Length);
        if (!Base64Url.IsValid(text)) return false;
        var buffer = new byte[PayloadLength + SignatureLength + 3];
        var status = Base64Url.DecodeFromChars(text, buffer, out _, out var written);
        if (status != System.Buffers.OperationStatus.Done || written != PayloadLength + SignatureLength) return false;
        var received = buffer.AsSpan(0, PayloadLength + SignatureLength);
        if (!Algorithm.Verify(key, Message(received[..PayloadLength]), received[PayloadLength..])) return false;
        // Only the canonical spelling: altered padding bits make another string for the same bytes.
        if (!string.Equals(Base64Url.EncodeToString(received), text.ToString(), StringComparison.Ordinal)) return false;
        ticketId = new Guid(received[..16], bigEndian: true);
        performanceId = new Guid(received[16..32], bigEndian: true);
        return true;
    }

    private static byte[] Message(ReadOnlySpan<byte> payload)
    {
        var data = new byte[Domain.Length + payload.Length];
        Domain.CopyTo(data, 0);
        payload.CopyTo(data.AsSpan(Domain.Length));
        return data;
    }
}
