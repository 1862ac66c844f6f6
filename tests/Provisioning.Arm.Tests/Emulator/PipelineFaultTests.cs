using System.Security.Cryptography.X509Certificates;
using Azure;
using Provisioning.Arm.Errors;
using Provisioning.Arm.Identities;
using Provisioning.Arm.Pipeline;
using Provisioning.Arm.Resources;
using Provisioning.ArmEmulator.Faults;

namespace Provisioning.Arm.Tests.Emulator;

public sealed class PipelineFaultTests
{
    [Fact]
    public async Task Transient_5xx_are_retried_by_the_pipeline_and_never_reach_the_caller()
    {
        await using var env = await EmulatorEnvironment.StartAsync();
        await env.CreateResourceGroupAsync("apps");
        env.Server.Faults.Update(f => f with { TransientFailureRate = 0.4 });
        var client = env.NewClient(maxRetries: 8);

        for (var i = 0; i < 5; i++)
        {
            var id = ArmResourceId.ForResource(env.SubscriptionId, "apps", UserAssignedIdentityClient.ResourceType, $"identity-{i}");
            var ensured = await client.Identities.EnsureAsync(id, "westeurope", null, CancellationToken.None);
            Assert.Equal(EnsureOutcome.Created, ensured.Outcome);
        }

        var log = env.Server.GetRequestLog();
        Assert.Contains(log, e => e.Status is 500 or 503);
        Assert.Equal(5, log.Count(e => e.Method == "PUT" && e.Status == 201 && e.Path.Contains("userAssignedIdentities", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Throttling_429_with_Retry_After_is_waited_out_by_the_pipeline()
    {
        await using var env = await EmulatorEnvironment.StartAsync(
            new FaultSettings { Throttling = new ThrottlingSettings { Enabled = true, ReadBurst = 2, ReadsPerSecond = 2, WriteBurst = 50, WritesPerSecond = 10 } },
            fakeTime: false);
        await env.CreateResourceGroupAsync("apps");
        var client = env.NewClient(maxRetries: 6);
        var id = ArmResourceId.ForResource(env.SubscriptionId, "apps", UserAssignedIdentityClient.ResourceType, "missing");

        for (var i = 0; i < 5; i++)
        {
            Assert.Null(await client.Identities.GetAsync(id, CancellationToken.None));
        }

        var log = env.Server.GetRequestLog();
        Assert.Contains(log, e => e.Status == 429);
        Assert.Equal(5, log.Count(e => e.Method == "GET" && e.Status == 404));
    }

    [Fact]
    public async Task When_retries_are_exhausted_the_caller_gets_a_transient_arm_exception()
    {
        await using var env = await EmulatorEnvironment.StartAsync();
        await env.CreateResourceGroupAsync("apps");
        env.Server.Faults.Update(f => f with { TransientFailureRate = 1 });

        var error = await Assert.ThrowsAsync<ArmException>(() => env.NewClient(maxRetries: 1).Identities.GetAsync(
            ArmResourceId.ForResource(env.SubscriptionId, "apps", UserAssignedIdentityClient.ResourceType, "x"), CancellationToken.None));

        Assert.Equal(ArmErrorKind.Transient, error.Kind);
        Assert.True(error.Status is 500 or 503);
    }

    [Fact]
    public async Task The_sandbox_transport_refuses_any_certificate_but_the_pinned_one()
    {
        await using var env = await EmulatorEnvironment.StartAsync();
        using var key = System.Security.Cryptography.RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        using var other = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var options = new ArmClientOptions();
        options.Retry.MaxRetries = 0;
        var client = ProvisioningArmClient.ForSandbox(new SandboxEndpoint(env.Server.BaseUri, other, env.Server.DevelopmentToken), options);

        await Assert.ThrowsAsync<RequestFailedException>(() => client.Identities.GetAsync(
            ArmResourceId.ForResource(env.SubscriptionId, "apps", UserAssignedIdentityClient.ResourceType, "x"), CancellationToken.None));
        Assert.Empty(env.Server.GetRequestLog());
    }
}
