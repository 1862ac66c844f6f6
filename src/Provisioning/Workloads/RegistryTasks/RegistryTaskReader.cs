using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Provisioning.Arm.ContainerRegistry;
using Provisioning.Arm.Resources;
using Provisioning.Templates.Validation;

namespace Provisioning.Workloads.RegistryTasks;

/// <summary>
/// Reads and checks a template's <c>workload</c> written as an ACR task (<c>Microsoft.ContainerRegistry/registries/tasks</c>,
/// named <c>{registry}/{task}</c> as ARM templates name child resources): the step, the platform, the agent and the
/// custom registries it pulls from with an identity. The task's identity is the template's <c>identity</c>, not written here.
/// </summary>
internal sealed partial class RegistryTaskReader(WorkloadReadContext context)
{
    /// <summary>The identity value of a custom registry pulled with the task's system-assigned identity.</summary>
    public const string SystemIdentity = "[system]";

    private static readonly string[] StepTypes = ["Docker", "FileTask", "EncodedTask"];
    private readonly TemplateErrorList _errors = context.Errors;

    public ResolvedWorkload? Read(JsonObject workload)
    {
        const string path = "workload";
        _errors.OnlyKnownKeys(workload, path, "type", "apiVersion", "name", "location", "tags", "properties", "identity");
        if (workload["identity"] is not null)
        {
            _errors.Add("workload.identity", "is set by the run from the template's 'identity'", "remove it; write 'identity: { type: SystemAssigned }' or a user-assigned identity at the top of the template");
        }

        var name = _errors.String(workload["name"], "workload.name", required: true, "\"[format('{0}/build-base', parameters('registryName'))]\"");
        string? registry = null, task = null;
        if (name is not null && !_errors.IsDeferred(workload["name"]))
        {
            var parts = name.Split('/');
            if (parts.Length != 2)
            {
                _errors.Add("workload.name", $"'{name}' is not '{{registry}}/{{task}}'", "name the task with its registry, e.g. 'myregistry/build-base'");
            }
            else
            {
                (registry, task) = (parts[0], parts[1]);
                if (!RegistryName().IsMatch(registry))
                {
                    _errors.Add("workload.name", $"'{registry}' is not a registry name", "use 5 to 50 letters and digits");
                }
                if (!TaskName().IsMatch(task))
                {
                    _errors.Add("workload.name", $"'{task}' is not a task name", "use 5 to 50 letters, digits, '-' and '_'");
                }
            }
        }

        var location = _errors.String(workload["location"], "workload.location", required: true, "\"[resourceGroup().location]\"");
        _errors.Object(workload["tags"], "workload.tags", required: false, "{ app: build }");
        var properties = _errors.Object(workload["properties"], "workload.properties", required: true, "{ platform: { os: Linux }, step: { type: EncodedTask, encodedTaskContent: ... } }");
        if (properties is not null)
        {
            ReadProperties(properties);
        }

        if (context.Target is not { } target || _errors.HasErrors || registry is null || task is null || location is null || properties is null)
        {
            return null;
        }

        var id = ArmResourceId.ForResource(target.SubscriptionId, target.ResourceGroupName, "Microsoft.ContainerRegistry/registries", registry).Child("tasks", task);
        var body = new JsonObject { ["location"] = location, ["properties"] = NormalizedProperties(properties) };
        if (workload["tags"] is JsonObject tags)
        {
            body["tags"] = tags.DeepClone();
        }

        return new ResolvedWorkload(RegistryTaskClient.ResourceType, id, body);
    }

    private void ReadProperties(JsonObject properties)
    {
        const string path = "workload.properties";
        _errors.OnlyKnownKeys(properties, path, "status", "platform", "agentConfiguration", "agentPoolName", "timeout", "step", "trigger", "credentials", "logTemplate", "isSystemTask");
        var platform = _errors.Object(properties["platform"], path + ".platform", required: true, "{ os: Linux, architecture: amd64 }");
        if (platform is not null)
        {
            _errors.OnlyKnownKeys(platform, path + ".platform", "os", "architecture", "variant");
            OneOf(platform["os"], path + ".platform.os", required: true, "Linux", "Windows");
            OneOf(platform["architecture"], path + ".platform.architecture", required: false, "amd64", "x86", "386", "arm", "arm64");
        }

        if (_errors.Object(properties["agentConfiguration"], path + ".agentConfiguration", required: false, "{ cpu: 2 }") is { } agent)
        {
            _errors.OnlyKnownKeys(agent, path + ".agentConfiguration", "cpu");
            _errors.Number(agent["cpu"], path + ".agentConfiguration.cpu", required: false, "2");
        }

        if (_errors.Number(properties["timeout"], path + ".timeout", required: false, "3600") is { } timeout && (timeout < 300 || timeout > 28800))
        {
            _errors.Add(path + ".timeout", $"{timeout} is out of range", "use 300 to 28800 seconds");
        }

        var step = _errors.Object(properties["step"], path + ".step", required: true, "{ type: EncodedTask, encodedTaskContent: <base64 task YAML> }");
        if (step is not null)
        {
            ReadStep(step, path + ".step");
        }

        if (_errors.Object(properties["credentials"], path + ".credentials", required: false, "{ customRegistries: { 'base.azurecr.io': { identity: '[system]' } } }") is { } credentials)
        {
            _errors.OnlyKnownKeys(credentials, path + ".credentials", "customRegistries", "sourceRegistry");
            if (_errors.Object(credentials["customRegistries"], path + ".credentials.customRegistries", required: false, "{ 'base.azurecr.io': { identity: '[system]' } }") is { } registries)
            {
                foreach (var (server, entry) in registries)
                {
                    ReadCustomRegistry(server, entry, $"{path}.credentials.customRegistries.{server}");
                }
            }
        }
    }

    private void ReadStep(JsonObject step, string path)
    {
        var type = OneOf(step["type"], path + ".type", required: true, StepTypes);
        switch (type)
        {
            case "Docker":
                _errors.String(step["dockerFilePath"], path + ".dockerFilePath", required: true, "Dockerfile");
                break;
            case "FileTask":
                _errors.String(step["taskFilePath"], path + ".taskFilePath", required: true, "acb.yaml");
                break;
            case "EncodedTask":
                var content = _errors.String(step["encodedTaskContent"], path + ".encodedTaskContent", required: true, "<base64 of the task YAML>");
                if (content is not null && !_errors.IsDeferred(step["encodedTaskContent"]) && !IsBase64(content))
                {
                    _errors.Add(path + ".encodedTaskContent", "is not base64", "encode the task YAML, e.g. [base64('steps: ...')] or `base64 -w0 acb.yaml`");
                }
                break;
        }
    }

    private void ReadCustomRegistry(string server, JsonNode? entry, string path)
    {
        _errors.Add(path, AzureNameRules.CheckLoginServer(server));
        var obj = _errors.Object(entry, path, required: true, "{ identity: '[system]' }");
        if (obj is null)
        {
            return;
        }

        _errors.OnlyKnownKeys(obj, path, "identity", "userName", "password");
        if (obj["userName"] is not null || obj["password"] is not null)
        {
            _errors.Add(path, "uses a user name and password", "pull with an identity: write 'identity' and remove 'userName' and 'password'");
        }

        var identity = _errors.String(obj["identity"], path + ".identity", required: true, "'[system]'");
        if (identity is null || _errors.IsDeferred(obj["identity"]))
        {
            return;
        }

        if (IsSystem(identity))
        {
            if (!context.SystemAssigned)
            {
                _errors.Add(path + ".identity", "names the task's system-assigned identity, but the template's identity is user-assigned", "write 'identity: { type: SystemAssigned }' at the top of the template, or name the user-assigned identity here");
            }
        }
        else if (context.SystemAssigned)
        {
            _errors.Add(path + ".identity", $"'{identity}' is not the task's system-assigned identity, the template's identity", "write 'system' (ACR's '[system]')");
        }
        else if (context.IdentityId is { } expected && !IsTemplateIdentity(identity, expected))
        {
            _errors.Add(path + ".identity", $"'{identity}' is not the template's identity '{expected}'", "write the template identity's resource id, e.g. [resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', parameters('identityName'))]; the run writes its client id");
        }
    }

    /// <summary>The properties to PUT: custom registries' <c>system</c> written as ACR's <c>[system]</c>.</summary>
    private static JsonObject NormalizedProperties(JsonObject properties)
    {
        var copy = (JsonObject)properties.DeepClone();
        if (copy["credentials"]?["customRegistries"] is JsonObject registries)
        {
            foreach (var (_, entry) in registries)
            {
                if (entry?["identity"] is JsonValue value && value.TryGetValue<string>(out var text) && IsSystem(text))
                {
                    entry["identity"] = SystemIdentity;
                }
            }
        }

        return copy;
    }

    // A template cannot write "[system]" literally (brackets start an expression; "[[system]" escapes it), so 'system', as
    // the REST spec's text spells it, is accepted too.
    internal static bool IsSystem(string identity) => identity is SystemIdentity or "system";

    private static bool IsTemplateIdentity(string identity, ArmResourceId expected) =>
        ArmResourceId.TryParse(identity, out var id, out _) && id.Equals(expected);

    private string? OneOf(JsonNode? node, string path, bool required, params string[] allowed)
    {
        var value = _errors.String(node, path, required, $"'{allowed[0]}'");
        if (value is null || _errors.IsDeferred(node))
        {
            return null;
        }

        var match = allowed.FirstOrDefault(a => a.Equals(value, StringComparison.OrdinalIgnoreCase));
        if (match is null)
        {
            _errors.Add(path, $"'{value}' is not allowed", $"use one of: {string.Join(", ", allowed)}");
        }

        return match;
    }

    private static bool IsBase64(string text)
    {
        var buffer = new byte[text.Length];
        return text.Length > 0 && Convert.TryFromBase64String(text, buffer, out _);
    }

    [GeneratedRegex("^[a-zA-Z0-9]{5,50}$")]
    private static partial Regex RegistryName();

    [GeneratedRegex("^[a-zA-Z0-9_-]{5,50}$")]
    private static partial Regex TaskName();
}
