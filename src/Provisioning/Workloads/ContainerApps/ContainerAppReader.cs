using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Provisioning.Arm.ContainerApps;
using Provisioning.Arm.Resources;
using Provisioning.Templates.Validation;

namespace Provisioning.Workloads.ContainerApps;

/// <summary>
/// Reads and checks a template's <c>workload</c> written as a container app (<c>Microsoft.App/containerApps</c>, ARM
/// shape): its managed environment — an existing one named by <c>properties.managedEnvironmentId</c> (or
/// <c>environmentId</c>), or one the run creates, written as the workload's <c>environment</c> block — its containers,
/// and the registries it pulls from with an identity (<c>{server, identity}</c>, identity the template identity's id or
/// <c>system</c>). The app's identity is the template's <c>identity</c>, not written here.
/// </summary>
internal sealed partial class ContainerAppReader(WorkloadReadContext context)
{
    /// <summary>The key of <see cref="ResolvedWorkload.Body"/> that holds the environment the run creates (<c>{id, body}</c>); never sent with the app.</summary>
    public const string EnvironmentKey = "environment";

    /// <summary>A registry's <c>identity</c> for the app's system-assigned identity.</summary>
    public const string SystemIdentity = "system";

    private readonly Templates.Validation.TemplateErrorList _errors = context.Errors;

    public ResolvedWorkload? Read(JsonObject workload)
    {
        _errors.OnlyKnownKeys(workload, "workload", "type", "apiVersion", "name", "location", "tags", "properties", EnvironmentKey, "identity");
        if (workload["identity"] is not null)
        {
            _errors.Add("workload.identity", "is set by the run from the template's 'identity'", "remove it; write 'identity: { type: SystemAssigned }' or a user-assigned identity at the top of the template");
        }

        var name = _errors.String(workload["name"], "workload.name", required: true, "\"[parameters('appName')]\"");
        if (name is not null && !_errors.IsDeferred(workload["name"]) && !AppName().IsMatch(name))
        {
            _errors.Add("workload.name", $"'{name}' is not a container app name", "use 2 to 32 lowercase letters, digits and '-', starting with a letter, ending with a letter or digit, without '--'");
        }

        var location = _errors.String(workload["location"], "workload.location", required: true, "\"[resourceGroup().location]\"");
        _errors.Object(workload["tags"], "workload.tags", required: false, "{ app: web }");
        var environment = ReadEnvironment(workload[EnvironmentKey]);
        var properties = _errors.Object(workload["properties"], "workload.properties", required: true, "{ managedEnvironmentId: ..., configuration: { registries: [...] }, template: { containers: [...] } }");
        string? environmentId = null;
        if (properties is not null)
        {
            environmentId = ReadProperties(properties, environment is not null);
        }

        if (context.Target is not { } target || _errors.HasErrors || name is null || location is null || properties is null)
        {
            return null;
        }

        var id = ArmResourceId.ForResource(target.SubscriptionId, target.ResourceGroupName, ContainerAppClient.ResourceType, name);
        var body = new JsonObject { ["location"] = location };
        if (workload["tags"] is JsonObject tags)
        {
            body["tags"] = tags.DeepClone();
        }

        body["identity"] = context.SystemAssigned || context.IdentityId is not { } identityId
            ? new JsonObject { ["type"] = "SystemAssigned" }
            : new JsonObject { ["type"] = "UserAssigned", ["userAssignedIdentities"] = new JsonObject { [identityId.ToString()] = new JsonObject() } };
        var props = (JsonObject)properties.DeepClone();
        props.Remove("environmentId");
        if (environment is not null)
        {
            var environmentName = environment["name"]!.GetValue<string>();
            var environmentResource = ArmResourceId.ForResource(target.SubscriptionId, target.ResourceGroupName, ContainerAppClient.EnvironmentResourceType, environmentName);
            var environmentBody = new JsonObject
            {
                ["location"] = environment["location"]?.DeepClone() ?? location,
                ["properties"] = environment["properties"]?.DeepClone() ?? new JsonObject(),
            };
            if (environment["tags"] is JsonObject environmentTags)
            {
                environmentBody["tags"] = environmentTags.DeepClone();
            }

            body[EnvironmentKey] = new JsonObject { ["id"] = environmentResource.ToString(), ["body"] = environmentBody };
            props["managedEnvironmentId"] = environmentResource.ToString();
        }
        else
        {
            props["managedEnvironmentId"] = environmentId;
        }

        body["properties"] = props;
        return new ResolvedWorkload(ContainerAppClient.ResourceType, id, body);
    }

    private JsonObject? ReadEnvironment(JsonNode? node)
    {
        const string path = "workload.environment";
        var environment = _errors.Object(node, path, required: false, "{ name: \"[parameters('environmentName')]\" }");
        if (environment is null)
        {
            return null;
        }

        _errors.OnlyKnownKeys(environment, path, "name", "location", "tags", "properties");
        var name = _errors.String(environment["name"], path + ".name", required: true, "\"[parameters('environmentName')]\"");
        if (name is not null && !_errors.IsDeferred(environment["name"]) && !EnvironmentName().IsMatch(name))
        {
            _errors.Add(path + ".name", $"'{name}' is not a managed environment name", "use 2 to 60 letters, digits and '-', starting with a letter, ending with a letter or digit");
        }

        _errors.String(environment["location"], path + ".location", required: false, "\"[resourceGroup().location]\"");
        _errors.Object(environment["tags"], path + ".tags", required: false, "{ app: web }");
        _errors.Object(environment["properties"], path + ".properties", required: false, "{ zoneRedundant: false }");
        return environment;
    }

    /// <summary>Checks the app's properties; returns the existing environment's id when the template names one.</summary>
    private string? ReadProperties(JsonObject properties, bool createsEnvironment)
    {
        const string path = "workload.properties";
        _errors.OnlyKnownKeys(properties, path, "managedEnvironmentId", "environmentId", "workloadProfileName", "configuration", "template");
        var environmentNode = properties["managedEnvironmentId"] ?? properties["environmentId"];
        var environmentPath = path + (properties["managedEnvironmentId"] is not null ? ".managedEnvironmentId" : ".environmentId");
        string? environmentId = null;
        if (createsEnvironment)
        {
            if (environmentNode is not null)
            {
                _errors.Add(environmentPath, "names an environment while 'workload.environment' asks the run to create one", "keep one: remove 'workload.environment' to use the existing environment, or remove this id");
            }
        }
        else if (environmentNode is null)
        {
            _errors.Add(path + ".managedEnvironmentId", "is required: a container app runs in a managed environment", "name an existing one, e.g. [resourceId('Microsoft.App/managedEnvironments', parameters('environmentName'))], or write 'workload.environment: { name: ... }' for the run to create it");
        }
        else
        {
            environmentId = _errors.String(environmentNode, environmentPath, required: true, "[resourceId('Microsoft.App/managedEnvironments', 'my-env')]");
            if (environmentId is not null && !_errors.IsDeferred(environmentNode))
            {
                if (!ArmResourceId.TryParse(environmentId, out var parsed, out var problem))
                {
                    _errors.Add(environmentPath, $"'{environmentId}' is not a resource id: {problem}", "write the environment's full id, e.g. [resourceId('Microsoft.App/managedEnvironments', parameters('environmentName'))]");
                }
                else if (!parsed.ResourceType.Equals(ContainerAppClient.EnvironmentResourceType, StringComparison.OrdinalIgnoreCase))
                {
                    _errors.Add(environmentPath, $"'{environmentId}' is a {parsed.ResourceType}, not a managed environment", "write the id of a Microsoft.App/managedEnvironments resource");
                }
            }
        }

        var servers = new List<string>();
        if (_errors.Object(properties["configuration"], path + ".configuration", required: false, "{ registries: [ { server: myacr.azurecr.io, identity: system } ] }") is { } configuration)
        {
            _errors.OnlyKnownKeys(configuration, path + ".configuration", "secrets", "activeRevisionsMode", "ingress", "registries", "dapr", "runtime", "maxInactiveRevisions", "service", "identitySettings", "targetLabel", "revisionTransitionThreshold");
            if (_errors.Array(configuration["registries"], path + ".configuration.registries", required: false, "[ { server: myacr.azurecr.io, identity: system } ]") is { } registries)
            {
                for (var i = 0; i < registries.Count; i++)
                {
                    if (ReadRegistry(registries[i], TemplateErrorList.Index(path + ".configuration.registries", i)) is { } server)
                    {
                        servers.Add(server);
                    }
                }
            }
        }

        var template = _errors.Object(properties["template"], path + ".template", required: true, "{ containers: [ { name: web, image: myacr.azurecr.io/web:1.0 } ] }");
        if (template is not null)
        {
            var containers = _errors.Array(template["containers"], path + ".template.containers", required: true, "[ { name: web, image: myacr.azurecr.io/web:1.0 } ]");
            if (containers is { Count: 0 })
            {
                _errors.Add(path + ".template.containers", "is empty", "add at least one container with a name and an image");
            }

            foreach (var (list, key) in new[] { (containers, "containers"), (template["initContainers"] as JsonArray, "initContainers") })
            {
                for (var i = 0; i < (list?.Count ?? 0); i++)
                {
                    ReadContainer(list![i], TemplateErrorList.Index($"{path}.template.{key}", i), servers);
                }
            }
        }

        return environmentId;
    }

    private string? ReadRegistry(JsonNode? node, string path)
    {
        var registry = _errors.Object(node, path, required: true, "{ server: myacr.azurecr.io, identity: system }");
        if (registry is null)
        {
            return null;
        }

        _errors.OnlyKnownKeys(registry, path, "server", "identity", "username", "passwordSecretRef");
        if (registry["username"] is not null || registry["passwordSecretRef"] is not null)
        {
            _errors.Add(path, "uses a user name and password", "pull with an identity: write 'identity' and remove 'username' and 'passwordSecretRef'");
        }

        var server = _errors.String(registry["server"], path + ".server", required: true, "myacr.azurecr.io");
        if (server is not null && !_errors.IsDeferred(registry["server"]))
        {
            _errors.Add(path + ".server", AzureNameRules.CheckLoginServer(server));
        }

        var identity = _errors.String(registry["identity"], path + ".identity", required: true, "system");
        if (identity is null || _errors.IsDeferred(registry["identity"]))
        {
            return server;
        }

        if (identity.Equals(SystemIdentity, StringComparison.OrdinalIgnoreCase))
        {
            if (!context.SystemAssigned)
            {
                _errors.Add(path + ".identity", "names the app's system-assigned identity, but the template's identity is user-assigned", "write 'identity: { type: SystemAssigned }' at the top of the template, or the user-assigned identity's id here");
            }
        }
        else if (context.SystemAssigned)
        {
            _errors.Add(path + ".identity", $"'{identity}' is not the app's system-assigned identity, the template's identity", "write 'system'");
        }
        else if (!ArmResourceId.TryParse(identity, out var id, out _))
        {
            _errors.Add(path + ".identity", $"'{identity}' is neither 'system' nor a resource id", "write the template identity's full resource id, e.g. [resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', parameters('identityName'))]");
        }
        else if (context.IdentityId is { } expected && !id.Equals(expected))
        {
            _errors.Add(path + ".identity", $"'{identity}' is not the template's identity '{expected}'", "write the template identity's full resource id, e.g. [resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', parameters('identityName'))]");
        }

        return server;
    }

    private void ReadContainer(JsonNode? node, string path, List<string> servers)
    {
        var container = _errors.Object(node, path, required: true, "{ name: web, image: myacr.azurecr.io/web:1.0 }");
        if (container is null)
        {
            return;
        }

        _errors.String(container["name"], path + ".name", required: true, "web");
        var image = _errors.String(container["image"], path + ".image", required: true, "myacr.azurecr.io/web:1.0");
        if (image is null || _errors.IsDeferred(container["image"]))
        {
            return;
        }

        var server = image.Split('/')[0];
        if (server.EndsWith(".azurecr.io", StringComparison.OrdinalIgnoreCase) && !servers.Contains(server, StringComparer.OrdinalIgnoreCase))
        {
            _errors.Add(path + ".image", $"'{image}' is in the registry '{server}', which 'configuration.registries' does not list", $"add '{{ server: {server}, identity: ... }}' to workload.properties.configuration.registries, so the app pulls it with its identity");
        }
    }

    [GeneratedRegex("^[a-z](?!.*--)[a-z0-9-]{0,30}[a-z0-9]$")]
    private static partial Regex AppName();

    [GeneratedRegex("^[a-zA-Z][a-zA-Z0-9-]{0,58}[a-zA-Z0-9]$")]
    private static partial Regex EnvironmentName();
}
