using System.Text.Json;
using System.Text.Json.Nodes;
using Provisioning.Arm.ContainerInstance;
using Provisioning.Arm.Resources;
using Provisioning.Templates.Expressions;
using Provisioning.Templates.Validation;

namespace Provisioning.Workloads.ContainerGroups;

/// <summary>
/// Reads and checks a template's <c>workload</c> (a Microsoft.ContainerInstance/containerGroups resource in
/// ARM shape). In load mode it checks every literal value; in bind mode (all expressions evaluated) it also
/// builds the <see cref="ContainerGroupDefinition"/>. With <paramref name="systemAssigned"/> (the template's
/// <c>identity: { type: SystemAssigned }</c>) the group has only its own identity, which ACI cannot pull with: such a
/// group pulls public images only, and every registry credential is refused with the fix.
/// </summary>
internal sealed class ContainerGroupReader(TemplateErrorList errors, ArmResourceId? templateIdentity, string identityNameText, bool systemAssigned)
{
    // Where a problem of a system-assigned-only group sends the author: the user-assigned identity pulls, the group's own
    // is still given its access after the deploy.
    private const string SystemOnlyFix =
        "give the template a user-assigned identity ('identity: { name: ... }' at the top) and write 'identity: { type: \"SystemAssigned, UserAssigned\" }' under 'workload', so the user-assigned one pulls; or pull a public image without a credential";

    public const string ResourceType = "Microsoft.ContainerInstance/containerGroups";
    private const string UserAssignedIdentityType = "Microsoft.ManagedIdentity/userAssignedIdentities";

    /// <summary>Reads the workload; returns the name and definition in bind mode when it has no errors.</summary>
    public (string Name, ContainerGroupDefinition Definition)? Read(JsonObject workload)
    {
        const string path = "workload";
        errors.OnlyKnownKeys(workload, path, "type", "apiVersion", "name", "location", "tags", "identity", "properties");
        var type = errors.String(workload["type"], "workload.type", required: false, $"'{ResourceType}'");
        if (type is not null && !type.Equals(ResourceType, StringComparison.OrdinalIgnoreCase))
        {
            errors.Add("workload.type", $"'{type}' is not a supported workload type", $"use '{ResourceType}' (or leave 'type' out)");
        }
        var name = errors.String(workload["name"], "workload.name", required: true, "\"[parameters('groupName')]\" or 'web'");
        if (name is not null)
        {
            errors.Add("workload.name", AzureNameRules.CheckContainerGroupName(name));
        }
        var location = errors.String(workload["location"], "workload.location", required: true, "\"[resourceGroup().location]\" or 'westeurope'");
        var tags = ReadTags(workload["tags"]);
        var identityType = ReadIdentity(workload["identity"]);

        var properties = errors.Object(workload["properties"], "workload.properties", required: true, "{ containers: [...], osType: Linux }");
        var groupProperties = properties is null ? null : ReadProperties(properties, identityType);

        if (!errors.Resolved || errors.HasErrors || name is null || location is null || groupProperties is null || templateIdentity is null && !systemAssigned)
        {
            return null;
        }
        var identity = systemAssigned
            ? new ContainerGroupIdentity(ContainerGroupIdentityType.SystemAssigned, [])
            : new ContainerGroupIdentity(identityType ?? ContainerGroupIdentityType.UserAssigned, [templateIdentity!]);
        return (name, new ContainerGroupDefinition(location, identity, groupProperties) { Tags = tags });
    }

    private Dictionary<string, string> ReadTags(JsonNode? node)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        var obj = errors.Object(node, "workload.tags", required: false, "{ team: platform }");
        foreach (var (key, value) in obj ?? [])
        {
            var text = errors.String(value, TemplateErrorList.Join("workload.tags", key), required: false, "'platform'");
            if (text is not null)
            {
                tags[key] = text;
            }
        }
        return tags;
    }

    private ContainerGroupIdentityType? ReadIdentity(JsonNode? node)
    {
        const string path = "workload.identity";
        var identity = errors.Object(node, path, required: false, "{ type: UserAssigned }");
        if (identity is null)
        {
            return null;
        }
        errors.OnlyKnownKeys(identity, path, "type", "userAssignedIdentities");
        if (identity["userAssignedIdentities"] is not null)
        {
            errors.Add("workload.identity.userAssignedIdentities", "is set by the template's 'identity' section and must not be written here",
                "remove 'workload.identity.userAssignedIdentities'; the template's identity is assigned to the group");
        }
        var type = errors.String(identity["type"], "workload.identity.type", required: true, systemAssigned ? "SystemAssigned" : "UserAssigned");
        var normalized = type?.Replace(" ", string.Empty, StringComparison.Ordinal).ToUpperInvariant();
        if (systemAssigned)
        {
            // The template's identity is the group's own: the workload can only repeat it.
            return normalized switch
            {
                null => null,
                "SYSTEMASSIGNED" => ContainerGroupIdentityType.SystemAssigned,
                "USERASSIGNED" or "SYSTEMASSIGNED,USERASSIGNED" => Fail($"'{type}' needs a user-assigned identity, but the template's identity is the group's system-assigned one",
                    "use 'SystemAssigned' (or leave 'workload.identity' out), or give the template a user-assigned identity ('identity: { name: ... }')"),
                "NONE" => Fail($"'{type}' leaves out the group's system-assigned identity, the template's identity", "use 'SystemAssigned' (or leave 'workload.identity' out)"),
                _ => Fail($"'{type}' is not an identity type", "use 'SystemAssigned' (or leave 'workload.identity' out): the template's identity is system-assigned"),
            };
        }

        return normalized switch
        {
            null => null,
            "USERASSIGNED" => ContainerGroupIdentityType.UserAssigned,
            "SYSTEMASSIGNED,USERASSIGNED" => ContainerGroupIdentityType.SystemAssignedUserAssigned,
            "SYSTEMASSIGNED" or "NONE" => Fail($"'{type}' leaves out the template's user-assigned identity, which pulls the images",
                "use 'UserAssigned' or 'SystemAssigned, UserAssigned' (for the group's own identity alone, write 'identity: { type: SystemAssigned }' at the top of the template instead, and pull public images only)"),
            _ => Fail($"'{type}' is not an identity type", "use 'UserAssigned' or 'SystemAssigned, UserAssigned'"),
        };

        ContainerGroupIdentityType? Fail(string problem, string fix)
        {
            errors.Add("workload.identity.type", problem, fix);
            return null;
        }
    }

    private ContainerGroupProperties? ReadProperties(JsonObject properties, ContainerGroupIdentityType? identityType)
    {
        const string path = "workload.properties";
        errors.OnlyKnownKeys(properties, path, "containers", "imageRegistryCredentials", "ipAddress", "subnetIds", "osType", "restartPolicy");

        var osType = ReadEnum<OperatingSystemType>(properties["osType"], "workload.properties.osType", required: true);
        var restartPolicy = ReadEnum<RestartPolicy>(properties["restartPolicy"], "workload.properties.restartPolicy", required: false);
        if (osType == OperatingSystemType.Windows && identityType == ContainerGroupIdentityType.SystemAssignedUserAssigned)
        {
            errors.Add("workload.identity.type", "Windows container groups support only a user-assigned identity",
                "use 'UserAssigned' for a Windows group, or osType 'Linux'");
        }
        else if (osType == OperatingSystemType.Windows && systemAssigned)
        {
            errors.Add("identity.type", "Windows container groups support only a user-assigned identity",
                "use osType 'Linux', or give the template a user-assigned identity ('identity: { name: ... }') for a Windows group");
        }

        var containers = ReadContainers(properties["containers"]);
        var credentials = ReadCredentials(properties["imageRegistryCredentials"]);
        var subnets = ReadSubnets(properties["subnetIds"]);
        var ipAddress = ReadIpAddress(properties["ipAddress"], subnets.Count > 0 || properties["subnetIds"] is not null);

        if (ipAddress is not null && containers is not null)
        {
            var exposed = containers.SelectMany(c => c.Ports).Select(p => (p.Port, p.Protocol ?? TransportProtocol.Tcp)).ToHashSet();
            for (var i = 0; i < ipAddress.Ports.Count; i++)
            {
                var port = ipAddress.Ports[i];
                if (!exposed.Contains((port.Port, port.Protocol ?? TransportProtocol.Tcp)))
                {
                    errors.Add(TemplateErrorList.Index("workload.properties.ipAddress.ports", i) + ".port",
                        $"port {port.Port} is not exposed by any container", "add it to a container's 'ports', or remove it from 'ipAddress.ports'");
                }
            }
        }
        if (containers is not null && credentials is not null)
        {
            CheckImagesHaveCredentials(containers, credentials);
        }

        // ACI refuses the whole PUT with 400 MoreImageRegistryCredentialsThanContainers. The arrays' lengths are known
        // when the template loads, even while their items are still expressions: say so before anything is created.
        if (properties["imageRegistryCredentials"] is JsonArray credentialItems && properties["containers"] is JsonArray containerItems
            && credentialItems.Count > containerItems.Count)
        {
            errors.Add("workload.properties.imageRegistryCredentials",
                $"has {credentialItems.Count} credentials for {containerItems.Count} container(s); Azure refuses more registry credentials than containers (MoreImageRegistryCredentialsThanContainers)",
                "keep only the credentials of the registries the containers' images come from");
        }

        if (!errors.Resolved || containers is null || credentials is null || osType is null)
        {
            return null;
        }
        return new ContainerGroupProperties(containers, credentials, ipAddress, subnets, osType.Value, restartPolicy);
    }

    private List<Container>? ReadContainers(JsonNode? node)
    {
        const string path = "workload.properties.containers";
        var array = errors.Array(node, path, required: true, "[{ name: web, properties: { image: ..., resources: { requests: { cpu: 1, memoryInGB: 1.5 } } } }]");
        if (array is null)
        {
            return null;
        }
        if (array.Count == 0)
        {
            errors.Add(path, "is empty", "add at least one container");
        }
        var containers = new List<Container>();
        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        var ports = new Dictionary<(int, TransportProtocol), string>();
        var complete = true;
        for (var i = 0; i < array.Count; i++)
        {
            var itemPath = TemplateErrorList.Index(path, i);
            var (container, name, containerPorts) = ReadContainer(array[i], itemPath);
            if (name is not null && !names.TryAdd(name, i))
            {
                errors.Add(itemPath + ".name", $"the container name '{name}' is already used by containers[{names[name]}]",
                    "give each container of the group a different name");
            }
            foreach (var port in containerPorts ?? [])
            {
                var key = (port.Port, port.Protocol ?? TransportProtocol.Tcp);
                if (!ports.TryAdd(key, itemPath))
                {
                    errors.Add(itemPath + ".properties.ports", $"port {port.Port} is already exposed by {ports[key]} (the containers of a group share one network namespace)",
                        "give each container a different port");
                }
            }
            if (container is null)
            {
                complete = false;
                continue;
            }
            containers.Add(container);
        }
        return complete ? containers : null;
    }

    private (Container? Container, string? Name, List<ContainerPort>? Ports) ReadContainer(JsonNode? node, string path)
    {
        var obj = errors.Object(node, path, required: true, "{ name: web, properties: { image: ... } }");
        if (obj is null)
        {
            return default;
        }
        errors.OnlyKnownKeys(obj, path, "name", "properties");
        var name = errors.String(obj["name"], path + ".name", required: true, "'web'");
        if (name is not null)
        {
            errors.Add(path + ".name", AzureNameRules.CheckContainerName(name));
        }
        var propertiesPath = path + ".properties";
        var properties = errors.Object(obj["properties"], propertiesPath, required: true, "{ image: ..., resources: { requests: { cpu: 1, memoryInGB: 1.5 } } }");
        if (properties is null)
        {
            return (null, name, null);
        }
        errors.OnlyKnownKeys(properties, propertiesPath, "image", "command", "ports", "environmentVariables", "resources");
        var image = errors.String(properties["image"], propertiesPath + ".image", required: true, "'myregistry.azurecr.io/web:1.0' or \"[parameters('image')]\"");
        if (image is not null && image.Contains("://", StringComparison.Ordinal))
        {
            errors.Add(propertiesPath + ".image", $"'{image}' has a scheme", "write the image as registry/repository:tag, e.g. 'myregistry.azurecr.io/web:1.0'");
        }
        var command = ReadCommand(properties["command"], propertiesPath + ".command");
        var ports = ReadPorts(properties["ports"], propertiesPath + ".ports", required: false);
        var variables = ReadEnvironment(properties["environmentVariables"], propertiesPath + ".environmentVariables");
        var requests = ReadRequests(properties["resources"], propertiesPath + ".resources");
        if (name is null || image is null || command is null || ports is null || variables is null || requests is null)
        {
            return (null, name, ports);
        }
        return (new Container(name, image, command, ports, variables, requests), name, ports);
    }

    private List<string>? ReadCommand(JsonNode? node, string path)
    {
        var array = errors.Array(node, path, required: false, "['/bin/sh', '-c', 'echo hello']");
        var command = new List<string>();
        var complete = true;
        for (var i = 0; i < (array?.Count ?? 0); i++)
        {
            var part = errors.String(array![i], TemplateErrorList.Index(path, i), required: false, "'echo'");
            if (part is null)
            {
                complete = false;
            }
            else
            {
                command.Add(part);
            }
        }
        return complete ? command : null;
    }

    private List<ContainerPort>? ReadPorts(JsonNode? node, string path, bool required)
    {
        var array = errors.Array(node, path, required, "[{ port: 80, protocol: TCP }]");
        var ports = new List<ContainerPort>();
        var complete = array is not null || !required;
        for (var i = 0; i < (array?.Count ?? 0); i++)
        {
            var itemPath = TemplateErrorList.Index(path, i);
            var obj = errors.Object(array![i], itemPath, required: true, "{ port: 80 }");
            if (obj is null)
            {
                complete = false;
                continue;
            }
            errors.OnlyKnownKeys(obj, itemPath, "port", "protocol");
            var number = errors.Number(obj["port"], itemPath + ".port", required: true, "80");
            var protocol = ReadProtocol(obj["protocol"], itemPath + ".protocol");
            if (number is null)
            {
                complete = false;
                continue;
            }
            if (number is < 1 or > 65535 || number != Math.Floor(number.Value))
            {
                errors.Add(itemPath + ".port", $"{number} is not a port number", "use a whole number from 1 to 65535");
                complete = false;
                continue;
            }
            ports.Add(new ContainerPort((int)number.Value, protocol));
        }
        return complete ? ports : null;
    }

    private TransportProtocol? ReadProtocol(JsonNode? node, string path)
    {
        var text = errors.String(node, path, required: false, "TCP");
        return text?.ToUpperInvariant() switch
        {
            null => null,
            "TCP" => TransportProtocol.Tcp,
            "UDP" => TransportProtocol.Udp,
            _ => Fail(),
        };

        TransportProtocol? Fail()
        {
            errors.Add(path, $"'{text}' is not a protocol", "use 'TCP' or 'UDP'");
            return null;
        }
    }

    private List<EnvironmentVariable>? ReadEnvironment(JsonNode? node, string path)
    {
        var array = errors.Array(node, path, required: false, "[{ name: MODE, value: production }]");
        var variables = new List<EnvironmentVariable>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var complete = true;
        for (var i = 0; i < (array?.Count ?? 0); i++)
        {
            var itemPath = TemplateErrorList.Index(path, i);
            var obj = errors.Object(array![i], itemPath, required: true, "{ name: MODE, value: production }");
            if (obj is null)
            {
                complete = false;
                continue;
            }
            errors.OnlyKnownKeys(obj, itemPath, "name", "value", "secureValue");
            var name = errors.String(obj["name"], itemPath + ".name", required: true, "'MODE'");
            var hasValue = obj.ContainsKey("value");
            var hasSecure = obj.ContainsKey("secureValue");
            if (hasValue && hasSecure)
            {
                errors.Add(itemPath, "has both 'value' and 'secureValue'", "keep one: 'secureValue' for secrets, 'value' otherwise");
            }
            var value = hasValue ? errors.String(obj["value"], itemPath + ".value", required: false, "'production'") : null;
            var secure = hasSecure ? errors.String(obj["secureValue"], itemPath + ".secureValue", required: false, "\"[parameters('apiKey')]\"") : null;
            if (name is not null && !names.Add(name))
            {
                errors.Add(itemPath + ".name", $"the variable '{name}' is set twice in this container", "set each variable once");
            }
            if (name is null || hasValue && value is null && obj["value"] is not null || hasSecure && secure is null && obj["secureValue"] is not null)
            {
                complete = false;
                continue;
            }
            variables.Add(new EnvironmentVariable(name, hasSecure ? null : value ?? string.Empty, secure));
        }
        return complete ? variables : null;
    }

    private ResourceRequests? ReadRequests(JsonNode? node, string path)
    {
        const string example = "{ requests: { cpu: 1, memoryInGB: 1.5 } }";
        var resources = errors.Object(node, path, required: true, example);
        if (resources is null)
        {
            return null;
        }
        errors.OnlyKnownKeys(resources, path, "requests");
        var requests = errors.Object(resources["requests"], path + ".requests", required: true, "{ cpu: 1, memoryInGB: 1.5 }");
        if (requests is null)
        {
            return null;
        }
        errors.OnlyKnownKeys(requests, path + ".requests", "cpu", "memoryInGB");
        var cpu = errors.Number(requests["cpu"], path + ".requests.cpu", required: true, "1");
        var memory = errors.Number(requests["memoryInGB"], path + ".requests.memoryInGB", required: true, "1.5");
        var valid = true;
        if (cpu is { } c && (c <= 0 || c > 4 || Math.Round(c * 10) != c * 10))
        {
            errors.Add(path + ".requests.cpu", $"{c} is not a CPU request Azure Container Instances accepts", "use a number of cores greater than 0 and at most 4, in steps of 0.1 (e.g. 0.5, 1, 2)");
            valid = false;
        }
        if (memory is { } m && (m <= 0 || m > 16 || Math.Round(m * 10) != m * 10))
        {
            errors.Add(path + ".requests.memoryInGB", $"{m} is not a memory request Azure Container Instances accepts", "use GB greater than 0 and at most 16, in steps of 0.1 (e.g. 0.5, 1.5, 4)");
            valid = false;
        }
        return valid && cpu is not null && memory is not null ? new ResourceRequests(cpu.Value, memory.Value) : null;
    }

    private List<ImageRegistryCredential>? ReadCredentials(JsonNode? node)
    {
        const string path = "workload.properties.imageRegistryCredentials";
        var array = errors.Array(node, path, required: false,
            "[{ server: myregistry.azurecr.io, identity: \"[resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', parameters('identityName'))]\" }]");
        var credentials = new List<ImageRegistryCredential>();
        var complete = true;
        var servers = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < (array?.Count ?? 0); i++)
        {
            var itemPath = TemplateErrorList.Index(path, i);
            var obj = errors.Object(array![i], itemPath, required: true, "{ server: myregistry.azurecr.io, identity: ... }");
            if (obj is null)
            {
                complete = false;
                continue;
            }
            errors.OnlyKnownKeys(obj, itemPath, "server", "identity", "username", "password", "identityUrl");
            var storedSecret = obj.ContainsKey("username") || obj.ContainsKey("password");
            if (storedSecret)
            {
                errors.Add(itemPath, "uses a username/password", systemAssigned
                    ? "pulls here use a managed identity, never a stored secret: " + SystemOnlyFix
                    : "remove 'username' and 'password' and set 'identity' to the template's identity: pulls here use a managed identity, never a stored secret");
            }
            if (obj.ContainsKey("identityUrl"))
            {
                errors.Add(itemPath + ".identityUrl", "is not used for registry pulls with a managed identity", "remove 'identityUrl'");
            }
            if (systemAssigned)
            {
                // imageRegistryCredentials[].identity must be a user-assigned identity listed on the group (AZURE-FACTS.md;
                // InvalidImageRegistryIdentity otherwise), and this group has none: no entry of it can pull.
                if (!storedSecret || obj.ContainsKey("identity"))
                {
                    errors.Add(itemPath + ".identity",
                        "the group's only identity is its system-assigned one, and Azure Container Instances pulls from a registry only with a user-assigned identity",
                        SystemOnlyFix);
                }
                complete = false;
                continue;
            }
            var server = errors.String(obj["server"], itemPath + ".server", required: true, "myregistry.azurecr.io");
            if (server is not null)
            {
                errors.Add(itemPath + ".server", AzureNameRules.CheckLoginServer(server));
                if (!servers.Add(server))
                {
                    errors.Add(itemPath + ".server", $"'{server}' has a credential already", "keep one credential per registry");
                }
            }
            var identity = ReadCredentialIdentity(obj["identity"], itemPath + ".identity");
            if (server is null || identity is null)
            {
                complete = false;
                continue;
            }
            credentials.Add(new ImageRegistryCredential(server, identity));
        }
        return complete ? credentials : null;
    }

    private ArmResourceId? ReadCredentialIdentity(JsonNode? node, string path)
    {
        const string fix = "set 'identity' to the template's identity, e.g. \"[resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', parameters('identityName'))]\"";
        if (node is JsonValue raw && raw.TryGetValue<string>(out var rawText) && TemplateExpression.IsExpression(rawText) && !errors.Resolved)
        {
            CheckIdentityExpression(rawText, path, fix);
            return null;
        }
        var text = errors.String(node, path, required: true, "\"[resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', parameters('identityName'))]\"");
        if (text is null)
        {
            return null;
        }
        if (text.Equals("[system]", StringComparison.OrdinalIgnoreCase) || text.Equals("system", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add(path, "a system-assigned identity cannot pull images for Azure Container Instances", fix);
            return null;
        }
        if (!ArmResourceId.TryParse(text, out var id, out var problem))
        {
            errors.Add(path, $"'{text}' is not a resource id: {problem}", fix);
            return null;
        }
        if (!id.ResourceType.Equals(UserAssignedIdentityType, StringComparison.OrdinalIgnoreCase))
        {
            errors.Add(path, $"'{text}' is a {id.ResourceType}, not a user-assigned identity", fix);
            return null;
        }
        if (templateIdentity is not null ? !id.Equals(templateIdentity) : !IsExpressionText(identityNameText) && !id.Name.Equals(identityNameText, StringComparison.OrdinalIgnoreCase))
        {
            errors.Add(path, $"'{id}' is not the template's identity ('{templateIdentity?.ToString() ?? identityNameText}')", fix);
            return null;
        }
        return id;
    }

    private void CheckIdentityExpression(string text, string path, string fix)
    {
        if (!TemplateExpressionParser.TryParse(text, out var expression, out _))
        {
            return; // reported by the expression check of the whole template
        }
        if (expression is TemplateExpression.Call { Function: var function, Arguments: [var type, var name] }
            && function.Equals("resourceId", StringComparison.OrdinalIgnoreCase))
        {
            var typeText = (type as TemplateExpression.Literal)?.Value?.GetValue<string>();
            if (typeText is not null && !typeText.Equals(UserAssignedIdentityType, StringComparison.OrdinalIgnoreCase))
            {
                errors.Add(path, $"'{text}' is a {typeText}, not a user-assigned identity", fix);
                return;
            }
            var identityNameExpression = IsExpressionText(identityNameText) && TemplateExpressionParser.TryParse(identityNameText, out var parsed, out _)
                ? parsed!.ToString()
                : new TemplateExpression.Literal(JsonValue.Create(identityNameText)).ToString();
            if (!string.Equals(name.ToString(), identityNameExpression, StringComparison.OrdinalIgnoreCase))
            {
                errors.Add(path, $"'{text}' names the identity {name}, but the template's identity is {identityNameExpression}", fix);
            }
        }
    }

    private static bool IsExpressionText(string text) => TemplateExpression.IsExpression(text);

    private List<ContainerGroupSubnet> ReadSubnets(JsonNode? node)
    {
        const string path = "workload.properties.subnetIds";
        var array = errors.Array(node, path, required: false, "[{ id: \"[parameters('subnetId')]\" }]");
        var subnets = new List<ContainerGroupSubnet>();
        for (var i = 0; i < (array?.Count ?? 0); i++)
        {
            var itemPath = TemplateErrorList.Index(path, i);
            var obj = errors.Object(array![i], itemPath, required: true, "{ id: /subscriptions/.../subnets/aci }");
            if (obj is null)
            {
                continue;
            }
            errors.OnlyKnownKeys(obj, itemPath, "id", "name");
            var id = errors.String(obj["id"], itemPath + ".id", required: true, "\"[parameters('subnetId')]\"");
            var name = errors.String(obj["name"], itemPath + ".name", required: false, "'aci'");
            if (id is null)
            {
                continue;
            }
            if (!ArmResourceId.TryParse(id, out var subnet, out var problem))
            {
                errors.Add(itemPath + ".id", $"'{id}' is not a resource id: {problem}", "use the subnet's id: /subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Network/virtualNetworks/{vnet}/subnets/{subnet}");
                continue;
            }
            if (!subnet.ResourceType.Equals("Microsoft.Network/virtualNetworks/subnets", StringComparison.OrdinalIgnoreCase))
            {
                errors.Add(itemPath + ".id", $"'{id}' is a {subnet.ResourceType}, not a subnet", "use the subnet's id: /subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Network/virtualNetworks/{vnet}/subnets/{subnet}");
                continue;
            }
            subnets.Add(new ContainerGroupSubnet(subnet, name));
        }
        return subnets;
    }

    private ContainerGroupIpAddress? ReadIpAddress(JsonNode? node, bool inSubnet)
    {
        const string path = "workload.properties.ipAddress";
        var obj = errors.Object(node, path, required: false, "{ type: Public, ports: [{ port: 80 }], dnsNameLabel: web-demo }");
        if (obj is null)
        {
            return null;
        }
        errors.OnlyKnownKeys(obj, path, "type", "ports", "dnsNameLabel");
        var type = ReadEnum<IpAddressType>(obj["type"], path + ".type", required: true);
        var ports = ReadPorts(obj["ports"], path + ".ports", required: true);
        if (ports is { Count: 0 })
        {
            errors.Add(path + ".ports", "is empty", "list at least one port the address exposes, e.g. [{ port: 80 }]");
        }
        var label = errors.String(obj["dnsNameLabel"], path + ".dnsNameLabel", required: false, "'web-demo'");
        if (label is not null)
        {
            errors.Add(path + ".dnsNameLabel", AzureNameRules.CheckDnsNameLabel(label));
        }
        if (type == IpAddressType.Private && label is not null)
        {
            errors.Add(path + ".dnsNameLabel", "a private IP address has no DNS name label", "remove 'dnsNameLabel', or use type 'Public'");
        }
        if (type == IpAddressType.Private && !inSubnet)
        {
            errors.Add(path + ".type", "a private IP address needs a subnet", "add 'subnetIds' with the subnet delegated to Microsoft.ContainerInstance/containerGroups, or use type 'Public'");
        }
        if (type == IpAddressType.Public && inSubnet)
        {
            errors.Add(path + ".type", "a group in a subnet has a private IP address", "use type 'Private' with 'subnetIds'");
        }
        return type is null || ports is null ? null : new ContainerGroupIpAddress(type.Value, ports, label);
    }

    private void CheckImagesHaveCredentials(List<Container> containers, List<ImageRegistryCredential> credentials)
    {
        for (var i = 0; i < containers.Count; i++)
        {
            var image = containers[i].Image;
            var slash = image.IndexOf('/', StringComparison.Ordinal);
            var host = slash > 0 ? image[..slash] : null;
            if (host is not null && host.Contains(".azurecr.", StringComparison.OrdinalIgnoreCase)
                && !credentials.Any(c => c.Server.Equals(host, StringComparison.OrdinalIgnoreCase)))
            {
                errors.Add(TemplateErrorList.Index("workload.properties.containers", i) + ".properties.image",
                    $"the image comes from '{host}' but no imageRegistryCredentials entry is for that server",
                    systemAssigned
                        ? $"pull it with a user-assigned identity: give the template one ('identity: {{ name: ... }}' at the top), write 'identity: {{ type: \"SystemAssigned, UserAssigned\" }}' under 'workload' and add {{ server: {host}, identity: <that identity> }} to 'imageRegistryCredentials'"
                        : $"add {{ server: {host}, identity: <the template's identity> }} to 'imageRegistryCredentials'");
            }
        }
    }

    private T? ReadEnum<T>(JsonNode? node, string path, bool required)
        where T : struct, Enum
    {
        var names = EnumNames<T>.All;
        var text = errors.String(node, path, required, $"'{names[0]}'");
        if (text is null)
        {
            return null;
        }
        if (Enum.TryParse<T>(text, ignoreCase: true, out var value) && names.Contains(text, StringComparer.OrdinalIgnoreCase))
        {
            return value;
        }
        errors.Add(path, $"'{text}' is not one of {string.Join(", ", names)}", $"use one of: {string.Join(", ", names)}");
        return null;
    }

    // Enum.GetNames copies the names on every call; a bind reads a few enums for every run.
    private static class EnumNames<T>
        where T : struct, Enum
    {
        public static readonly string[] All = Enum.GetNames<T>();
    }
}
