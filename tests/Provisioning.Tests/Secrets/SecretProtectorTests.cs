using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Provisioning.Arm.Pipeline;
using Provisioning.Secrets;

namespace Provisioning.Tests.Secrets;

public sealed class SecretProtectorTests
{
    private const string Secret = "Sup3r-s3cret-api-key!";

    [Fact]
    public void A_protected_secret_is_a_token_without_the_plaintext_and_comes_back()
    {
        using var keys = new KeyRing();
        var protector = keys.NewProtector();

        var token = protector.Protect(Secret);

        Assert.StartsWith("protected:v1:", token, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, token, StringComparison.Ordinal);
        Assert.True(protector.IsProtected(token));
        Assert.False(protector.IsProtected(Secret));
        Assert.Equal(Secret, protector.Unprotect(token));
        // Encryption is randomised: the same secret twice gives two tokens, so a token reveals no equality.
        Assert.NotEqual(token, protector.Protect(Secret));
        Assert.Equal(string.Empty, protector.Unprotect(protector.Protect(string.Empty)));
    }

    [Fact]
    public void A_restarted_host_on_the_same_key_ring_reads_earlier_tokens()
    {
        using var keys = new KeyRing();
        var token = keys.NewProtector().Protect(Secret);

        Assert.NotEmpty(Directory.GetFiles(keys.Folder, "key-*.xml"));
        Assert.Equal(Secret, keys.NewProtector().Unprotect(token));
    }

    [Fact]
    public void A_lost_key_ring_is_a_clear_error_that_never_holds_the_secret()
    {
        using var before = new KeyRing();
        var token = before.NewProtector().Protect(Secret);
        using var after = new KeyRing();

        var error = Assert.Throws<SecretUnprotectException>(() => after.NewProtector().Unprotect(token));

        Assert.Contains("key ring", error.Message, StringComparison.Ordinal);
        Assert.Contains("start it again", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Another_application_name_cannot_read_the_tokens()
    {
        using var keys = new KeyRing();
        var token = keys.NewProtector().Protect(Secret);

        Assert.Throws<SecretUnprotectException>(() => keys.NewProtector("another-app").Unprotect(token));
    }

    [Fact]
    public void A_damaged_token_is_refused()
    {
        using var keys = new KeyRing();
        var protector = keys.NewProtector();
        var token = protector.Protect(Secret);
        var flipped = token[..^3] + (token[^3] == 'A' ? 'B' : 'A') + token[^2..];

        Assert.Throws<SecretUnprotectException>(() => protector.Unprotect(flipped));
        Assert.Throws<SecretUnprotectException>(() => protector.Unprotect(SecretProtector.TokenPrefix + "***"));
        Assert.Throws<ArgumentException>(() => protector.Unprotect(Secret));
    }

    [Fact]
    public void The_purpose_isolates_tokens_from_other_uses_of_the_key_ring()
    {
        using var keys = new KeyRing();
        var provider = keys.NewProvider();
        var payload = new SecretProtector(provider).Protect(Secret)[SecretProtector.TokenPrefix.Length..];

        Assert.Equal(Secret, provider.CreateProtector(SecretProtector.Purpose).Unprotect(payload));
        Assert.ThrowsAny<CryptographicException>(() => provider.CreateProtector("another-purpose").Unprotect(payload));
    }

    [Fact]
    public void The_token_prefix_is_the_one_the_arm_client_resolves()
    {
        Assert.Equal("protected:v1:", SecretProtector.TokenPrefix);
        Assert.Equal(RequestBodySecrets.ProtectedPrefix, SecretProtector.TokenPrefix);
    }
}
