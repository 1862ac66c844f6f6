using System.Text.Json.Nodes;
using Microsoft.DurableTask.Client;
using Provisioning.Arm.Resources;
using Provisioning.ArmEmulator.Faults;
using Provisioning.Orchestrations;
using Provisioning.Templates.Binding;
using Provisioning.Templates.Loading;

namespace Provisioning.EndToEnd.Tests.ContainerApps;

/// <summary>
/// The container app kind end to end (seed 001) against the emulator: an app in an existing or run-created managed
/// environment pulling from the sandbox registry with a user-assigned identity, or with its system-assigned one (created
/// with the public placeholder image, granted, then updated to the private image); revisions refused while the grant
/// propagates deployed again; the ARM-audience policy refusal; compensation after a forced failure.
/// </summary>
public sealed class ContainerAppRunTests
{
    private const string AppsApiVersion = "2025-01-01";
    private const string Placeholder = "mcr.microsoft.com/k8se/quickstart:latest";

    private static readonly FaultSettings Propagating = new()
    {
        PrincipalReplicationDelay = TimeSpan.FromSeconds(1),
        GrantPropagationDelay = TimeSpan.FromSeconds(2),
        ProvisioningDuration = TimeSpan.FromMilliseconds(300),
    };

    [Fact]
    public async Task An_app_with_a_user_assigned_identity_in_an_existing_environment_runs_its_private_image()
    {
        await using var sandbox = await ProvisioningSandbox.StartAsync(Propagating);
        var environmentId = await CreateEnvironmentAsync(sandbox);

        var done = await sandbox.RunAsync(Input(sandbox, UserAssignedYaml(createsEnvironment: false), environmentId));

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        var result = done.ReadOutputAs<ProvisioningResult>()!;
        Assert.Equal("Microsoft.App/containerApps", result.Kind);
        Assert.EndsWith("/userAssignedIdentities/app-puller", result.IdentityId, StringComparison.Ordinal);

        // Identity, grant and app: the existing environment is not the run's.
        Assert.Equal(3, result.Created.Count);
        Assert.DoesNotContain(result.Created, id => id.Contains("managedEnvironments", StringComparison.OrdinalIgnoreCase));
        var revisions = await RevisionsAsync(sandbox, result.WorkloadId);
        var latest = revisions[^1]!["properties"]!;
        Assert.Equal(result.Outputs!["revision"]!.GetValue<string>(), revisions[^1]!["name"]!.GetValue<string>());
        Assert.Equal("Provisioned", latest["provisioningState"]!.GetValue<string>());
        Assert.Equal("Running", latest["runningState"]!.GetValue<string>());
        Assert.Equal(ProvisioningSandbox.Image, latest["template"]!["containers"]![0]!["image"]!.GetValue<string>());
        Assert.EndsWith(".azurecontainerapps.io", result.Outputs["fqdn"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_app_with_a_system_identity_starts_on_the_placeholder_is_granted_then_runs_its_private_image_once_the_grant_propagates()
    {
        await using var sandbox = await ProvisioningSandbox.StartAsync(Propagating);
        var before = sandbox.Inventory();

        var done = await sandbox.RunAsync(Input(sandbox, SystemAssignedYaml(createsEnvironment: true), environmentId: null));

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        var result = done.ReadOutputAs<ProvisioningResult>()!;
        Assert.Null(result.IdentityId);
        var app = await sandbox.ArmClient.ContainerApps.GetAsync(ArmResourceId.Parse(result.WorkloadId), CancellationToken.None);
        Assert.Equal(app!.SystemPrincipalId, result.PrincipalId);
        var assignment = Assert.Single(result.RoleAssignmentIds);
        Assert.StartsWith(sandbox.RegistryId, assignment, StringComparison.OrdinalIgnoreCase);

        // Environment, app, grant: all the run's.
        Assert.Equal(3, result.Created.Count);
        Assert.Contains(result.Created, id => id.EndsWith("/managedEnvironments/apps-env", StringComparison.OrdinalIgnoreCase));

        // First revision: the public placeholder, running before the grant existed. Then the private image, refused while
        // the grant propagated (2 s), and deployed again as a new revision until it ran.
        var revisions = await RevisionsAsync(sandbox, result.WorkloadId);
        Assert.Equal(Placeholder, revisions[0]!["properties"]!["template"]!["containers"]![0]!["image"]!.GetValue<string>());
        Assert.Equal("Provisioned", revisions[0]!["properties"]!["provisioningState"]!.GetValue<string>());
        Assert.True(result.DeploymentAttempts > 1, $"{result.DeploymentAttempts} attempt(s)");
        Assert.Contains(nameof(ProvisioningPhase.WaitingForGrantPropagation), result.PhaseSeconds.Keys);
        Assert.Contains(revisions, r => r!["properties"]!["provisioningState"]!.GetValue<string>() == "Failed"
            && r["properties"]!["provisioningError"]!.GetValue<string>().Contains("unauthorized", StringComparison.Ordinal));
        var latest = revisions[^1]!["properties"]!;
        Assert.Equal(ProvisioningSandbox.Image, latest["template"]!["containers"]![0]!["image"]!.GetValue<string>());
        Assert.Equal("Running", latest["runningState"]!.GetValue<string>());
        Assert.Equal(before.Count + 3, sandbox.Inventory().Count);
    }

    [Fact]
    public async Task A_registry_that_refuses_ARM_audience_tokens_is_refused_before_anything_is_created_naming_the_fix()
    {
        await using var sandbox = await ProvisioningSandbox.StartAsync(Propagating);
        var environmentId = await CreateEnvironmentAsync(sandbox);
        using (var update = await sandbox.PutAsync(sandbox.RegistryId, "2025-11-01", """{"location":"westeurope","sku":{"name":"Standard"},"properties":{"policies":{"azureADAuthenticationAsArmPolicy":{"status":"disabled"}}}}"""))
        {
            Assert.True(update.IsSuccessStatusCode, await update.Content.ReadAsStringAsync());
        }

        var before = sandbox.Inventory();
        var done = await sandbox.RunAsync(Input(sandbox, UserAssignedYaml(createsEnvironment: false), environmentId));

        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        var message = done.FailureDetails!.ErrorMessage;
        Assert.Contains("azureADAuthenticationAsArmPolicy", message, StringComparison.Ordinal);
        Assert.Contains("az acr config authentication-as-arm update --registry myregistry --status enabled", message, StringComparison.Ordinal);
        Assert.Contains("compensation deleted 0 resource(s)", message, StringComparison.Ordinal);
        Assert.Equal(before, sandbox.Inventory());
    }

    [Fact]
    public async Task A_forced_failure_is_compensated_leaving_only_the_environment_that_existed_before()
    {
        await using var sandbox = await ProvisioningSandbox.StartAsync(Propagating with { FailingResources = ["web-app"] });
        var environmentId = await CreateEnvironmentAsync(sandbox);
        var before = sandbox.Inventory();

        var done = await sandbox.RunAsync(Input(sandbox, UserAssignedYaml(createsEnvironment: false), environmentId));

        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.Contains("configured to fail", done.FailureDetails!.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("compensation deleted 3 resource(s)", done.FailureDetails.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(before, sandbox.Inventory());
        Assert.Contains(environmentId.ToUpperInvariant(), sandbox.Inventory());
    }

    [Fact]
    public async Task A_forced_failure_deletes_the_environment_the_run_created()
    {
        await using var sandbox = await ProvisioningSandbox.StartAsync(Propagating with { FailingResources = ["web-app"] });
        var before = sandbox.Inventory();

        var done = await sandbox.RunAsync(Input(sandbox, SystemAssignedYaml(createsEnvironment: true), environmentId: null));

        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.Contains("placeholder", done.FailureDetails!.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("compensation deleted 2 resource(s)", done.FailureDetails.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(before, sandbox.Inventory());
    }

    [Fact]
    public async Task The_sample_template_runs_in_the_sandbox()
    {
        await using var sandbox = await ProvisioningSandbox.StartAsync(Propagating);
        var template = await TemplateLoader.LoadFileAsync(SamplePath("containerapp.yaml"));
        var resolved = template.Bind(
            new Dictionary<string, JsonNode?> { ["registryName"] = ProvisioningSandbox.Registry, ["image"] = ProvisioningSandbox.Image },
            new TemplateTarget(sandbox.Emulator.SubscriptionId, ProvisioningSandbox.ResourceGroup, "westeurope"));

        var done = await sandbox.RunAsync(new ProvisioningInput(resolved, ProvisioningSandbox.FastTimings));

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        var result = done.ReadOutputAs<ProvisioningResult>()!;
        Assert.EndsWith("/containerApps/hello-app", result.WorkloadId, StringComparison.Ordinal);
        Assert.Contains(result.Created, id => id.EndsWith("/managedEnvironments/hello-env", StringComparison.Ordinal));
        var app = await sandbox.ArmClient.ContainerApps.GetAsync(ArmResourceId.Parse(result.WorkloadId), CancellationToken.None);
        Assert.Equal("Succeeded", app!.ProvisioningState);
        Assert.Equal(app.LatestRevisionName, app.LatestReadyRevisionName);
    }

    private static string SamplePath(string file)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "templates", file);
            if (File.Exists(candidate) && File.Exists(Path.Combine(directory.FullName, "rules.yaml")))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"The repository's templates/{file} was not found above {AppContext.BaseDirectory}.");
    }

    private static ProvisioningInput Input(ProvisioningSandbox sandbox, string yaml, string? environmentId)
    {
        var parameters = new Dictionary<string, JsonNode?> { ["registryId"] = sandbox.RegistryId, ["image"] = ProvisioningSandbox.Image };
        if (environmentId is not null)
        {
            parameters["environmentId"] = environmentId;
        }

        var resolved = TemplateLoader.Parse(yaml, "containerapp.yaml").Bind(parameters, new TemplateTarget(sandbox.Emulator.SubscriptionId, ProvisioningSandbox.ResourceGroup, "westeurope"));
        return new ProvisioningInput(resolved, ProvisioningSandbox.FastTimings);
    }

    private static async Task<string> CreateEnvironmentAsync(ProvisioningSandbox sandbox)
    {
        var id = $"{sandbox.Subscription}/resourceGroups/{ProvisioningSandbox.ResourceGroup}/providers/Microsoft.App/managedEnvironments/shared-env";
        using (var response = await sandbox.PutAsync(id, AppsApiVersion, """{"location":"westeurope","properties":{"zoneRedundant":false}}"""))
        {
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (sandbox.Emulator.GetInventory().Single(entry => entry.Id.Equals(id, StringComparison.OrdinalIgnoreCase)).ProvisioningState != "Succeeded")
        {
            await Task.Delay(50, timeout.Token);
        }

        return id;
    }

    private static async Task<JsonArray> RevisionsAsync(ProvisioningSandbox sandbox, string appId)
    {
        using var response = await sandbox.Arm.GetAsync(new Uri($"{appId}/revisions?api-version={AppsApiVersion}", UriKind.Relative));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(response.IsSuccessStatusCode, body.ToJsonString());
        return (JsonArray)body["value"]!;
    }

    private static string UserAssignedYaml(bool createsEnvironment) => Yaml(systemAssigned: false, createsEnvironment);

    private static string SystemAssignedYaml(bool createsEnvironment) => Yaml(systemAssigned: true, createsEnvironment);

    private static string Yaml(bool systemAssigned, bool createsEnvironment) => string.Join('\n', new[]
    {
        "parameters:",
        "  registryId: { type: string }",
        "  image: { type: string }",
        createsEnvironment ? null : "  environmentId: { type: string }",
        systemAssigned ? "identity: { type: SystemAssigned }" : "identity: { name: app-puller }",
        "grants:",
        "  - role: AcrPull",
        "    scope: \"[parameters('registryId')]\"",
        "workload:",
        "  type: Microsoft.App/containerApps",
        "  name: web-app",
        "  location: \"[resourceGroup().location]\"",
        createsEnvironment ? "  environment: { name: apps-env }" : null,
        "  properties:",
        createsEnvironment ? null : "    managedEnvironmentId: \"[parameters('environmentId')]\"",
        "    configuration:",
        "      ingress: { external: true, targetPort: 80 }",
        "      registries:",
        "        - server: myregistry.azurecr.io",
        systemAssigned ? "          identity: system" : "          identity: \"[resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', 'app-puller')]\"",
        "    template:",
        "      containers:",
        "        - name: web",
        "          image: \"[parameters('image')]\"",
        "          resources: { cpu: 0.5, memory: 1Gi }",
    }.OfType<string>());
}
