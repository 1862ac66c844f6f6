using System.Text.Json.Nodes;
using Provisioning.Activities;
using Provisioning.Arm;

namespace Provisioning.Workloads.ContainerApps;

/// <summary>
/// Starts the create or update (PUT) of the container app and returns the operation's handle. The body sent is the
/// workload's without the environment block; with <see cref="ContainerAppRequest.Placeholder"/> every image pulled with
/// the system identity is the public placeholder and those registries are left out, as Azure documents for an app
/// whose system-assigned identity holds no grant yet. A new app is tagged with the run; an app someone else created
/// keeps their tags and is never deleted by compensation.
/// </summary>
public sealed class BeginContainerAppDeployment(ProvisioningArmClient arm) : ArmActivity<ContainerAppRequest, ContainerAppStart>(arm)
{
    /// <summary>The public image a system-assigned app is first created with (Azure's quickstart image).</summary>
    public const string PlaceholderImage = "mcr.microsoft.com/k8se/quickstart:latest";

    /// <inheritdoc />
    protected override async Task<ContainerAppStart> ExecuteAsync(ContainerAppRequest input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var id = input.Workload.ResourceId;
        var existing = await Arm.ContainerApps.GetAsync(id, cancellationToken);
        var existedBefore = existing is not null && !OwnershipTag.IsOwnedBy(existing.Tags, input.RunId);

        var body = (JsonObject)input.Workload.Body.DeepClone();
        body.Remove(ContainerAppReader.EnvironmentKey);
        var tags = body["tags"] as JsonObject ?? new JsonObject();
        body["tags"] = tags;
        if (OwnershipTag.CreatorFor(input.RunId, existing?.Tags, existedBefore) is { } creator)
        {
            tags[OwnershipTag.Name] = creator;
        }

        var properties = (JsonObject)body["properties"]!;
        if (input.Placeholder)
        {
            UsePlaceholder(properties);
        }

        if (input.RevisionSuffix is { } suffix && properties["template"] is JsonObject template)
        {
            template["revisionSuffix"] = suffix;
        }

        var operation = await Arm.Resources.BeginCreateOrUpdateAsync(id, ArmApiVersions.ContainerApps, body, cancellationToken);
        return new ContainerAppStart(operation.ToJson(), existedBefore);
    }

    /// <summary>Swaps each image pulled with the system identity for the placeholder and drops those registries (and init containers).</summary>
    private static void UsePlaceholder(JsonObject properties)
    {
        var systemServers = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (properties["configuration"]?["registries"] is JsonArray registries)
        {
            foreach (var registry in registries.OfType<JsonObject>().ToList())
            {
                if (string.Equals(registry["identity"]?.GetValue<string>(), ContainerAppReader.SystemIdentity, StringComparison.OrdinalIgnoreCase))
                {
                    systemServers.Add(registry["server"]?.GetValue<string>() ?? string.Empty);
                    registries.Remove(registry);
                }
            }
        }

        if (properties["template"] is not JsonObject template)
        {
            return;
        }

        foreach (var container in (template["containers"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (systemServers.Contains(ServerOf(container)))
            {
                container["image"] = PlaceholderImage;
            }
        }

        if (template["initContainers"] is JsonArray init)
        {
            foreach (var container in init.OfType<JsonObject>().Where(c => systemServers.Contains(ServerOf(c))).ToList())
            {
                init.Remove(container);
            }
        }
    }

    private static string ServerOf(JsonObject container) => (container["image"]?.GetValue<string>() ?? string.Empty).Split('/')[0];
}

/// <summary>The app to deploy.</summary>
/// <param name="Workload">The app.</param>
/// <param name="RunId">The orchestration instance id, for the ownership tag.</param>
/// <param name="Placeholder">Whether to deploy the public placeholder instead of the images pulled with the system identity.</param>
/// <param name="RevisionSuffix">A revision suffix that makes this PUT start a new revision (a retry), or null for the template's.</param>
public sealed record ContainerAppRequest(ResolvedWorkload Workload, string RunId, bool Placeholder, string? RevisionSuffix);

/// <summary>The started deployment.</summary>
/// <param name="OperationJson">The operation to follow.</param>
/// <param name="ExistedBefore">Whether the app existed before this run.</param>
public sealed record ContainerAppStart(string OperationJson, bool ExistedBefore);
