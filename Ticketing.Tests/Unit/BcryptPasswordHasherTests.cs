using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Ticketing.Core.Accounts;

namespace Ticketing.Tests.Unit;

/// <summary>The one place where hashing runs at its production cost.</summary>
public sealed class BcryptPasswordHasherTests
{
    private static BcryptPasswordHasher Hasher(int cost) => new(Options.Create(new PasswordHashingOptions { BcryptWorkFactor = cost }));

    [Fact]
    public void DefaultWorkFactor_IsAtLeast11()
    {
        Assert.True(new PasswordHashingOptions().BcryptWorkFactor >= 11);
    }

    [Fact]
    public void Hash_IsSaltedBcryptAtTheConfiguredCost_AndVerifies()
    {
        var hasher = Hasher(11);
        var user = new AppUser();
        var a = hasher.HashPassword(user, "correct horse 1");
        var b = hasher.HashPassword(user, "correct horse 1");
        Assert.StartsWith("$2", a);
        Assert.Equal("11", a.Split('$')[2]);
        Assert.NotEqual(a, b); // salted
        Assert.DoesNotContain("correct horse", a);
        Assert.Equal(PasswordVerificationResult.Success, hasher.VerifyHashedPassword(user, a, "correct horse 1"));
        Assert.Equal(PasswordVerificationResult.Failed, hasher.VerifyHashedPassword(user, a, "correct horse 2"));
    }

    [Fact]
    public void WeakerHash_AsksForARehash_AndGarbageFails()
    {
        var user = new AppUser();
        var weak = Hasher(4).HashPassword(user, "pw123456");
        Assert.Equal(PasswordVerificationResult.SuccessRehashNeeded, Hasher(11).VerifyHashedPassword(user, weak, "pw123456"));
        Assert.Equal(PasswordVerificationResult.Failed, Hasher(11).VerifyHashedPassword(user, "not-a-hash", "pw123456"));
    }
}
