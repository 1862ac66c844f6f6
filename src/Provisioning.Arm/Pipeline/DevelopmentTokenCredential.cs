using Azure.Core;

namespace Provisioning.Arm.Pipeline;

/// <summary>
/// The sandbox credential: the ARM emulator's development token, presented as a bearer token. Only for the
/// emulator; Azure is reached with <c>DefaultAzureCredential</c>.
/// </summary>
/// <param name="token">The emulator's development token.</param>
/// <param name="timeProvider">The clock for the token's expiry.</param>
public sealed class DevelopmentTokenCredential(string token, TimeProvider timeProvider) : TokenCredential
{
    /// <inheritdoc />
    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        new(token, timeProvider.GetUtcNow().AddHours(1));

    /// <inheritdoc />
    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}
