using NSec.Cryptography;
using Ticketing.Core.Tickets;

namespace Ticketing.Tests.Unit;

public sealed class Ed25519TicketCodeTests
{
    private static readonly Key SigningKey = Key.Create(SignatureAlgorithm.Ed25519);
    private static readonly Guid TicketId = Guid.CreateVersion7(), PerformanceId = Guid.CreateVersion7();

    [Fact]
    public void Verify_ASignedCode_WithThePublicKey_GivesBackTheIds_InAnUrlSafeCode()
    {
        var code = Ed25519TicketCode.Sign(SigningKey, TicketId, PerformanceId);
        Assert.StartsWith("TK2.", code);
        Assert.Equal(4 + 128, code.Length);
        Assert.DoesNotContain(code, c => c is '+' or '/' or '=');
        Assert.True(Ed25519TicketCode.TryVerify(SigningKey.PublicKey, code, out var ticket, out var performance));
        Assert.Equal((TicketId, PerformanceId), (ticket, performance));
    }

    [Fact]
    public void Verify_RefusesEveryAlteredCharacter()
    {
        var code = Ed25519TicketCode.Sign(SigningKey, TicketId, PerformanceId);
        for (int i = 4; i < code.Length; i++)
        {
            var altered = code[..i] + (code[i] == 'A' ? 'B' : 'A') + code[(i + 1)..];
            Assert.False(Ed25519TicketCode.TryVerify(SigningKey.PublicKey, altered, out _, out _), $"altered at {i} was accepted");
        }
    }

    [Fact]
    public void Verify_RefusesACodeForgedWithAnotherKey_AndSwappedIds()
    {
        using var forger = Key.Create(SignatureAlgorithm.Ed25519);
        Assert.False(Ed25519TicketCode.TryVerify(SigningKey.PublicKey, Ed25519TicketCode.Sign(forger, TicketId, PerformanceId), out _, out _));
        var swapped = Ed25519TicketCode.Sign(SigningKey, PerformanceId, TicketId);
        var spliced = swapped[..(4 + 43)] + Ed25519TicketCode.Sign(SigningKey, TicketId, PerformanceId)[(4 + 43)..];
        Assert.False(Ed25519TicketCode.TryVerify(SigningKey.PublicKey, spliced, out _, out _));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("TK2.")]
    [InlineData("TK2.!!!!")]
    [InlineData("TK1.AAAA")]
    public void Verify_RefusesMalformedInput(string? code) =>
        Assert.False(Ed25519TicketCode.TryVerify(SigningKey.PublicKey, code, out _, out _));

    [Fact]
    public void TheGuidBytesAreBigEndian_SoABrowserReadsTheIdFromTheHex()
    {
        var code = Ed25519TicketCode.Sign(SigningKey, TicketId, PerformanceId);
        var raw = Convert.FromBase64String(code[4..].Replace('-', '+').Replace('_', '/'));
        Assert.Equal(TicketId.ToString("N"), Convert.ToHexStringLower(raw[..16]));
    }
}
