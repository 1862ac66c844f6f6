using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Provisioning.Host.Configuration;
using Provisioning.Host.Sandbox;

namespace Provisioning.Host.Tests.Sandbox;

/// <summary>
/// <c>Provisioning:Mode</c>: the sandbox or Azure, said explicitly or implied by a subscription; Azure without a
/// subscription refuses to start; a host not asked for the sandbox never starts an emulator; the samples live only in
/// the sandbox.
/// </summary>
public sealed class ModeTests
{
    private const string Subscription = "11111111-2222-3333-4444-555555555555";

    public static TheoryData<string?, string?, ProvisioningMode> Modes => new()
    {
        { null, null, ProvisioningMode.Sandbox },
        { "", "", ProvisioningMode.Sandbox },
        { null, Subscription, ProvisioningMode.Azure },
        { "Azure", Subscription, ProvisioningMode.Azure },
        { "azure", Subscription, ProvisioningMode.Azure },
        { "Sandbox", null, ProvisioningMode.Sandbox },
        { "Sandbox", Subscription, ProvisioningMode.Sandbox },
    };

    public static TheoryData<string?, string?, string> Refusals => new()
    {
        { "Azure", null, "Set Provisioning__Azure__SubscriptionId=<subscription id>" },
        { "Azure", " ", "Set Provisioning__Azure__SubscriptionId=<subscription id>" },
        { "Azure", "my-subscription", "is not a subscription id" },
        { null, "my-subscription", "is not a subscription id" },
        { "Cloud", null, "Set Provisioning__Mode=Sandbox (the ARM emulator) or Provisioning__Mode=Azure" },
    };

    [Theory]
    [MemberData(nameof(Modes))]
    public void The_mode_is_the_one_asked_for_or_follows_the_subscription(string? mode, string? subscription, ProvisioningMode expected)
    {
        var settings = new ProvisioningSettings { Mode = mode, Azure = new AzureSettings { SubscriptionId = subscription } };

        Assert.Equal(expected, settings.ResolveMode());
    }

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Settings_that_cannot_start_the_host_say_what_to_set(string? mode, string? subscription, string fix)
    {
        var settings = new ProvisioningSettings { Mode = mode, Azure = new AzureSettings { SubscriptionId = subscription } };

        var refused = Assert.Throws<ProvisioningSettingsException>(() => settings.ResolveMode());
        Assert.Contains(fix, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mode_Azure_without_a_subscription_does_not_start_and_starts_no_emulator_either()
    {
        var data = NewDataDirectory();
        try
        {
            var refused = await Assert.ThrowsAsync<ProvisioningSettingsException>(() => LoopbackHost.StartAsync(data, "--Provisioning:Mode", "Azure"));

            Assert.Contains("Provisioning__Azure__SubscriptionId", refused.Message, StringComparison.Ordinal);
            Assert.False(Directory.Exists(Path.Combine(data, "emulator")));
        }
        finally
        {
            DeleteDirectory(data);
        }
    }

    [Fact]
    public async Task A_host_given_a_subscription_runs_on_Azure_with_no_emulator_and_no_sample_orchestrations()
    {
        var data = NewDataDirectory();
        var host = await LoopbackHost.StartAsync(data, "--Provisioning:Azure:SubscriptionId", Subscription);
        try
        {
            Assert.Null(host.Services.GetService<SandboxEnvironment>());
            Assert.False(host.Services.GetRequiredService<ArmTarget>().IsSandbox);
            Assert.Equal(Subscription, host.Services.GetRequiredService<ArmTarget>().SubscriptionId);
            Assert.False(Directory.Exists(Path.Combine(data, "emulator")));
            var registered = host.Services.GetRequiredService<RegisteredOrchestrators>();
            Assert.DoesNotContain("HelloSequence", registered.Names);
            Assert.DoesNotContain("ApprovalWorkflow", registered.Names);

            using var sample = await host.Http.PostAsync(LoopbackHost.Webhook("orchestrators/HelloSequence"), LoopbackHost.Json("""{"cities":["Oslo"]}"""));
            Assert.Equal(HttpStatusCode.BadRequest, sample.StatusCode);
        }
        finally
        {
            await host.DisposeAsync();
            host.DeleteData();
        }
    }

    [Fact]
    public async Task With_no_settings_the_host_runs_the_sandbox_and_the_samples()
    {
        var host = await LoopbackHost.StartAsync();
        try
        {
            var sandbox = host.Services.GetRequiredService<SandboxEnvironment>();
            Assert.False(sandbox.IsExternal);
            Assert.True(host.Services.GetRequiredService<ArmTarget>().IsSandbox);
            Assert.Contains("HelloSequence", host.Services.GetRequiredService<RegisteredOrchestrators>().Names);
            Assert.NotNull(sandbox.Emulator.StateDirectory);
        }
        finally
        {
            await host.DisposeAsync();
            host.DeleteData();
        }
    }

    [Theory]
    [InlineData("https://127.0.0.1:5443/", null, "Provisioning:Sandbox:EmulatorCertificatePath is not")]
    [InlineData("http://127.0.0.1:5443/", "cert.pem", "Set it to the emulator's https address")]
    [InlineData("https://127.0.0.1:5443/", "/nowhere/arm-emulator.pem", "which does not exist")]
    [InlineData(null, "/nowhere/arm-emulator.pem", "without Provisioning:Sandbox:EmulatorUrl")]
    public void Incomplete_external_emulator_settings_say_what_to_set(string? url, string? certificate, string fix)
    {
        var settings = new ProvisioningSettings { Sandbox = new SandboxSettings { EmulatorUrl = url, EmulatorCertificatePath = certificate } };

        var refused = Assert.Throws<ProvisioningSettingsException>(() => settings.ResolveMode());
        Assert.Contains(fix, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_external_emulator_that_is_not_running_is_reported_with_how_to_start_it()
    {
        var data = NewDataDirectory();
        Directory.CreateDirectory(data);
        var certificate = Path.Combine(data, "arm-emulator.pem");
        using (var rsa = System.Security.Cryptography.RSA.Create(2048))
        {
            var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=localhost", rsa, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
            using var self = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            await File.WriteAllTextAsync(certificate, self.ExportCertificatePem());
        }

        try
        {
            var refused = await Assert.ThrowsAsync<ProvisioningSettingsException>(() => LoopbackHost.StartAsync(
                data,
                "--Provisioning:Sandbox:EmulatorUrl", "https://127.0.0.1:9/",
                "--Provisioning:Sandbox:EmulatorCertificatePath", certificate,
                "--Provisioning:Sandbox:EmulatorToken", "arm-emulator.none"));

            Assert.Contains("cannot be reached", refused.Message, StringComparison.Ordinal);
            Assert.Contains("dotnet run --project src/Provisioning.ArmEmulator", refused.Message, StringComparison.Ordinal);
        }
        finally
        {
            DeleteDirectory(data);
        }
    }

    private static string NewDataDirectory() => Path.Combine(Path.GetTempPath(), "provisioning-host-tests", Guid.NewGuid().ToString("N"));

    private static void DeleteDirectory(string path)
    {
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
    }
}
