using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Ticketing.Core.Common;

namespace Ticketing.Core.Tickets;

/// <summary>
/// The string a ticket's QR code carries: <c>TK1.</c> + base64url(ticket id ‖ performance id ‖ HMAC-SHA256). The door
/// recomputes the MAC with the server's key (<c>Tickets:SigningKey</c>, else generated once and kept in the database),
/// so a forged or altered code is detected without trusting the client. Compared in constant time. New codes are
/// <see cref="Ed25519TicketCode"/> (<c>TK2.</c>, checkable offline by door devices with the public key); <c>TK1.</c>
/// codes already issued stay valid.
/// </summary>
public sealed class TicketCodeSigner(SecretStore secrets, IOptions<TicketOptions> options)
{
    public const string Prefix = "TK1.";
    private const int PayloadLength = 32, MacLength = 32;
    private static readonly byte[] Domain = Encoding.ASCII.GetBytes("ticketing.ticket.v1|");
    private byte[]? _key;
    private NSec.Cryptography.Key? _signingKey;
    private NSec.Cryptography.PublicKey? _publicKey;

    /// <summary>Loads (or creates) the keys; cheap after the first call. The Ed25519 seed is kept like the HMAC key (encrypted at rest).</summary>
    public async Task InitializeAsync(CancellationToken ct = default)
    {
        _key ??= await secrets.GetOrCreateKeyAsync("ticket-signing-key", options.Value.SigningKey, 32, ct);
        if (_signingKey is null)
        {
            var seed = await secrets.GetOrCreateKeyAsync("ticket-ed25519-key", options.Value.Ed25519PrivateKey, 32, ct);
            var key = Ed25519TicketCode.ImportPrivateKey(seed);
            _publicKey = key.PublicKey;
            _signingKey = key;
        }
    }

    private byte[] Key => _key ?? throw new InvalidOperationException("TicketCodeSigner.InitializeAsync was not called.");

    private NSec.Cryptography.Key SigningKey => _signingKey ?? throw new InvalidOperationException("TicketCodeSigner.InitializeAsync was not called.");

    /// <summary>The raw 32-byte Ed25519 public key that door devices verify <c>TK2.</c> codes with.</summary>
    public byte[] PublicKey => Ed25519TicketCode.ExportPublicKey(SigningKey);

    public string Sign(Guid ticketId, Guid performanceId) => Ed25519TicketCode.Sign(SigningKey, ticketId, performanceId);

    public bool TryVerify(string? code, out Guid ticketId, out Guid performanceId) =>
        code is not null && code.TrimStart().StartsWith(Ed25519TicketCode.Prefix, StringComparison.Ordinal)
            ? Ed25519TicketCode.TryVerify(_publicKey ?? throw new InvalidOperationException("TicketCodeSigner.InitializeAsync was not called."), code, out ticketId, out performanceId)
            : TryVerify(Key, code, out ticketId, out performanceId);

    public static string Sign(byte[] key, Guid ticketId, Guid performanceId)
    {
        Span<byte> buffer = stackalloc byte[PayloadLength + MacLength];
        ticketId.TryWriteBytes(buffer[..16]);
        performanceId.TryWriteBytes(buffer[16..32]);
        Mac(key, buffer[..PayloadLength], buffer[PayloadLength..]);
        return Prefix + Base64Url.EncodeToString(buffer);
    }

    public static bool TryVerify(byte[] key, string? code, out Guid ticketId, out Guid performanceId)
    {
        ticketId = performanceId = Guid.Empty;
        if (code is null) return false;
        code = code.Trim();
        if (!code.StartsWith(Prefix, StringComparison.Ordinal) || code.Length > 200) return false;
        Span<byte> buffer = stackalloc byte[PayloadLength + MacLength + 3];
        if (!Base64Url.IsValid(code.AsSpan(Prefix.Length))) return false;
        var status = Base64Url.DecodeFromChars(code.AsSpan(Prefix.Length), buffer, out var consumed, out var written);
        if (status != System.Buffers.OperationStatus.Done || written != PayloadLength + MacLength) return false;
        var received = buffer[..(PayloadLength + MacLength)];
        Span<byte> mac = stackalloc byte[MacLength];
        Mac(key, received[..PayloadLength], mac);
        if (!CryptographicOperations.FixedTimeEquals(mac, received[PayloadLength..])) return false;
        // Only the canonical spelling: altered padding bits make another string for the same bytes.
        if (!string.Equals(Base64Url.EncodeToString(received), code.AsSpan(Prefix.Length).ToString(), StringComparison.Ordinal)) return false;
        ticketId = new Guid(buffer[..16]);
        performanceId = new Guid(buffer[16..32]);
        return true;
    }

    private static void Mac(byte[] key, ReadOnlySpan<byte> payload, Span<byte> destination)
    {
        Span<byte> data = stackalloc byte[Domain.Length + payload.Length];
        Domain.CopyTo(data);
        payload.CopyTo(data[Domain.Length..]);
        HMACSHA256.HashData(key, data, destination);
    }
}
