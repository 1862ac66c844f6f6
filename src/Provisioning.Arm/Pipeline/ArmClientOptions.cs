using Azure.Core;

namespace Provisioning.Arm.Pipeline;

/// <summary>
/// Options of the ARM client: the endpoint and token scope, plus Azure.Core's <see cref="ClientOptions"/>
/// (<see cref="ClientOptions.Retry"/> decides how 408/429/5xx and <c>Retry-After</c> are retried).
/// </summary>
public sealed class ArmClientOptions : ClientOptions
{
    /// <summary>Creates options for public Azure with exponential retries (6 tries, 1 s base, 60 s cap).</summary>
    public ArmClientOptions()
    {
        Retry.Mode = RetryMode.Exponential;
        Retry.MaxRetries = 5;
        Retry.Delay = TimeSpan.FromSeconds(1);
        Retry.MaxDelay = TimeSpan.FromSeconds(60);
        Diagnostics.ApplicationId = "provisioning-functions";
        // Request bodies carry secrets in plaintext once resolved (see SecretResolver): Azure.Core must never log
        // them. Off is Azure.Core's default too; it is set here so that the choice is visible and tested.
        Diagnostics.IsLoggingContentEnabled = false;
    }

    /// <summary>The ARM endpoint (public Azure: <c>https://management.azure.com</c>).</summary>
    public Uri Endpoint { get; set; } = new("https://management.azure.com");

    /// <summary>The token scope (public Azure: <c>https://management.azure.com/.default</c>).</summary>
    public string TokenScope { get; set; } = "https://management.azure.com/.default";

    /// <summary>
    /// Turns protected secrets in request bodies into plaintext just before each request is sent (see
    /// <see cref="RequestBodySecrets"/>); null when secrets are not protected, and then a body holding a protected
    /// value is refused rather than sent. With a resolver, <see cref="DiagnosticsOptions.IsLoggingContentEnabled"/>
    /// must stay off: the client refuses to start otherwise.
    /// </summary>
    public IRequestSecretResolver? SecretResolver { get; set; }
}
