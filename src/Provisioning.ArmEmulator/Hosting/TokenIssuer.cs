using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Provisioning.ArmEmulator.Hosting;

/// <summary>Issues and checks the opaque bearer tokens the emulator accepts.</summary>
/// <param name="time">The clock tokens expire on.</param>
/// <param name="developmentToken">The long-lived token (kept in the data folder); a new one when null.</param>
internal sealed class TokenIssuer(TimeProvider time, string? developmentToken = null)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _tokens = new(StringComparer.Ordinal);

    /// <summary>A long-lived token for clients of the emulator (in-process, or in another process through the token file).</summary>
    public string DevelopmentToken { get; } = developmentToken ?? Create();

    public (string Token, DateTimeOffset ExpiresOn) Issue(TimeSpan lifetime)
    {
        var token = Create();
        var expires = time.GetUtcNow() + lifetime;
        _tokens[token] = expires;
        return (token, expires);
    }

    public bool IsValid(string token) =>
        token == DevelopmentToken || (_tokens.TryGetValue(token, out var expires) && expires > time.GetUtcNow());

    private static string Create() => "arm-emulator." + Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
}
