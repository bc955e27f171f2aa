using System.Security.Cryptography;
using Ticketing.Core.Tickets;

namespace Ticketing.Tests.Unit;

public sealed class TicketCodeSignerTests
{
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);
    private static readonly Guid TicketId = Guid.CreateVersion7(), PerformanceId = Guid.CreateVersion7();

    [Fact]
    public void Verify_ASignedCode_GivesBackTheTicketAndThePerformance()
    {
        var code = TicketCodeSigner.Sign(Key, TicketId, PerformanceId);
        Assert.StartsWith(TicketCodeSigner.Prefix, code);
        Assert.True(TicketCodeSigner.TryVerify(Key, code, out var ticket, out var performance));
        Assert.Equal((TicketId, PerformanceId), (ticket, performance));
        Assert.DoesNotContain(code, c => c is '+' or '/' or '=');
    }

    [Fact]
    public void Verify_ACodeWithAnyCharacterChanged_IsRefused()
    {
        var code = TicketCodeSigner.Sign(Key, TicketId, PerformanceId);
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for (var i = TicketCodeSigner.Prefix.Length; i < code.Length; i++)
        {
            var replacement = alphabet[(alphabet.IndexOf(code[i]) + 1) % alphabet.Length];
            var altered = code[..i] + replacement + code[(i + 1)..];
            Assert.False(TicketCodeSigner.TryVerify(Key, altered, out _, out _), $"altered at {i} was accepted");
        }
    }

    [Fact]
    public void Verify_ACodeForgedForAnotherTicketOrSignedWithAnotherKey_IsRefused()
    {
        var original = TicketCodeSigner.Sign(Key, TicketId, PerformanceId);
        var bytes = Convert.FromBase64String(original[TicketCodeSigner.Prefix.Length..].Replace('-', '+').Replace('_', '/') + "==");
        Guid.CreateVersion7().TryWriteBytes(bytes.AsSpan(0, 16)); // another ticket id, the old signature
        var swapped = TicketCodeSigner.Prefix + Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        Assert.False(TicketCodeSigner.TryVerify(Key, swapped, out _, out _));
        Assert.False(TicketCodeSigner.TryVerify(RandomNumberGenerator.GetBytes(32), original, out _, out _));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("TK1.")]
    [InlineData("TK1.!!!!")]
    [InlineData("hello")]
    [InlineData("TK2.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void Verify_Garbage_IsRefusedWithoutThrowing(string? code)
    {
        Assert.False(TicketCodeSigner.TryVerify(Key, code, out var ticket, out _));
        Assert.Equal(Guid.Empty, ticket);
    }
}
