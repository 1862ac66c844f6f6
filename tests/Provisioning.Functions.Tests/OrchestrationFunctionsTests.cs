using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.DependencyInjection;
using Moq;
using Provisioning.ArmEmulator.Faults;
using Provisioning.Functions.Http;
using Provisioning.Orchestrations;

namespace Provisioning.Functions.Tests;

/// <summary>
/// The app's orchestration and activity function bodies on the official in-process Durable Task sidecar, against the
/// ARM emulator: a run started through the start function provisions the shipped sample template.
/// </summary>
public sealed class OrchestrationFunctionsTests
{
    private const string StartBody = """{"resourceGroup":"rg-sandbox","parameters":{"image":"sandboxacr.azurecr.io/hello/web:1.0","registryName":"sandboxacr"}}""";

    [Fact]
    public async Task The_start_function_and_the_orchestration_functions_provision_the_sample_template()
    {
        await using var arm = await ArmSandbox.StartAsync(new FaultSettings
        {
            PrincipalReplicationDelay = TimeSpan.FromSeconds(1),
            GrantPropagationDelay = TimeSpan.FromSeconds(1),
            ProvisioningDuration = TimeSpan.FromMilliseconds(300),
        });
        await using var services = await FunctionsServices.BuildAsync(arm);
        DurableTaskTestHost? host = null;
        await using var started = host = await DurableTaskTestHost.StartAsync(
            registry => registry.AddAppFunctions(() => host!.Client),
            new DurableTaskTestHostOptions { ConfigureServices = worker => worker.AddSingleton(arm.ArmClient).AddSingleton(TimeProvider.System) });

        var exchange = HttpExchange.Create("POST", "/api/provisioning/web?code=key", StartBody);
        var functions = ActivatorUtilities.CreateInstance<ProvisioningHttpFunctions>(services);
        await exchange.AnswerAsync(await functions.StartProvisioning(exchange.Request, host.Client, new Mock<FunctionContext>().Object, "web", null, CancellationToken.None));
        Assert.Equal(202, exchange.Status);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var done = await host.Client.WaitForInstanceCompletionAsync((string)exchange.Json["id"]!, getInputsAndOutputs: true, timeout.Token);

        Assert.True(done.RuntimeStatus == OrchestrationRuntimeStatus.Completed, $"{done.RuntimeStatus}: {done.FailureDetails}");
        var result = done.ReadOutputAs<ProvisioningResult>()!;
        Assert.EndsWith("/containerGroups/web", result.WorkloadId, StringComparison.Ordinal);
        var inventory = arm.Inventory();
        Assert.Contains(inventory, resource => resource.EndsWith("/CONTAINERGROUPS/WEB", StringComparison.Ordinal));
        Assert.Contains(inventory, resource => resource.EndsWith("/USERASSIGNEDIDENTITIES/WEB-PULLER", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_orchestration_and_activity_function_is_registered_by_the_test_registry()
    {
        var orchestrators = AppFunctionsRegistry.FunctionMethods(typeof(OrchestrationTriggerAttribute)).Count();
        var activities = AppFunctionsRegistry.FunctionMethods(typeof(ActivityTriggerAttribute)).Count();

        Assert.Equal(Runs.ProvisioningRegistration.Orchestrators.Count + Drift.DriftRegistration.Orchestrators.Count, orchestrators);
        Assert.Equal(Runs.ProvisioningRegistration.Activities.Count + Drift.DriftRegistration.Activities.Count, activities);
    }
}
