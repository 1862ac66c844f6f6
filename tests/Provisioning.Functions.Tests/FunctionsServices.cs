using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Provisioning.Arm;
using Provisioning.Functions.Configuration;

namespace Provisioning.Functions.Tests;

/// <summary>
/// The app's services, registered as its Program does (<c>AddProvisioningFunctionsAsync</c> on the app's output folder,
/// so the shipped templates and rules), with ARM pointed at the emulator instead of Azure.
/// </summary>
internal static class FunctionsServices
{
    public static async Task<ServiceProvider> BuildAsync(ArmSandbox arm, params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Provisioning:Azure:SubscriptionId"] = arm.SubscriptionId,
            ["Provisioning:EventGrid:SettleDelay"] = "00:00:00",
            ["Provisioning:Timings:PrincipalRetryFirstInterval"] = "00:00:00.2",
            ["Provisioning:Timings:ReadinessFirstInterval"] = "00:00:00.3",
            ["Provisioning:Timings:ReadinessMaxInterval"] = "00:00:01",
            ["Provisioning:Timings:ReadinessDeadline"] = "00:00:30",
            ["Provisioning:Timings:OperationPollInterval"] = "00:00:00.2",
            ["Provisioning:Timings:TransientFirstInterval"] = "00:00:00.2",
            ["Provisioning:Timings:LaneCheckInterval"] = "00:00:00.2",
        }.Concat(settings.Select(setting => new KeyValuePair<string, string?>(setting.Key, setting.Value)))).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton<IHostEnvironment>(new TestEnvironment(FunctionsApp.Directory));
        await services.AddProvisioningFunctionsAsync(configuration, FunctionsApp.Directory);
        services.AddSingleton(arm.ArmClient);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }

    private sealed class TestEnvironment(string contentRoot) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = Environments.Development;

        public string ApplicationName { get; set; } = "Provisioning.Functions";

        public string ContentRootPath { get; set; } = contentRoot;

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
