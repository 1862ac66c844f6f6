using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Provisioning.Arm.Authorization;
using Provisioning.Arm.Resources;
using Provisioning.Drift;
using Provisioning.Templates.Binding;
using Provisioning.Templates.Expressions;
using Provisioning.Templates.Validation;
using Provisioning.Workloads;
using YamlDotNet.Core;


namespace Provisioning.Templates.Loading;

/// <summary>
/// Loads one template file (YAML: <c>.yaml</c>/<c>.yml</c>; JSON: <c>.json</c>) and checks everything that can be
/// checked without Azure. Throws <see cref="TemplateException"/> listing every problem, each naming the file,
/// the field path and the fix.
/// </summary>
public static partial class TemplateLoader
{
    private static readonly string[] TopLevelFields = ["name", "description", "parameters", "identity", "grants", "workload", "drift"];

    /// <summary>Loads a template file.</summary>
    /// <param name="path">The file path.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public static async Task<Template> LoadFileAsync(string path, CancellationToken cancellationToken = default)
    {
        var text = await File.ReadAllTextAsync(path, cancellationToken);
        return Parse(text, Path.GetFileName(path));
    }

    /// <summary>Parses template text; the format follows the file name's extension.</summary>
    /// <param name="text">The template text.</param>
    /// <param name="fileName">The file name (for the format, the default template name and error messages).</param>
    public static Template Parse(string text, string fileName)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(fileName);
        var errors = new TemplateErrorList(fileName, resolved: false);
        var root = ReadDocument(text, fileName, errors);
        if (root is null)
        {
            throw new TemplateException(errors.Errors);
        }

        errors.OnlyKnownKeys(root, string.Empty, TopLevelFields);
        var name = errors.String(root["name"], "name", required: false, "'web'") ?? Path.GetFileNameWithoutExtension(fileName);
        if (!TemplateName().IsMatch(name))
        {
            errors.Add("name", $"'{name}' is not a usable template name", "use letters, digits, '-', '_' and '.', starting with a letter or digit");
        }
        var description = errors.String(root["description"], "description", required: false, "'Web front end'");
        var drift = errors.String(root["drift"], "drift", required: false, "repair");
        if (drift is not null && !Enum.TryParse<DriftPolicy>(drift, ignoreCase: true, out _))
        {
            errors.Add("drift", $"'{drift}' is not a drift policy", "write 'repair' (drift scans start the workload's provisioning again) or 'report' (they only report it)");
        }
        var parameters = ReadParameters(root["parameters"], errors);
        var identity = ReadIdentity(root["identity"], errors);
        var grants = ReadGrants(root["grants"], errors);
        var workload = errors.Object(root["workload"], "workload", required: true, "{ name: web, location: westeurope, properties: { ... } }");

        CheckExpressions(root, string.Empty, parameters, errors);
        if (workload is not null)
        {
            ReadWorkload(workload, identity, errors);
        }

        if (errors.HasErrors || identity is null || grants is null || workload is null)
        {
            throw new TemplateException(errors.Errors);
        }
        return new Template(name, fileName, description, parameters, identity, grants, workload.ToJsonString())
        {
            Drift = drift is null ? DriftPolicy.Repair : Enum.Parse<DriftPolicy>(drift, ignoreCase: true),
        };
    }

    private static JsonObject? ReadDocument(string text, string fileName, TemplateErrorList errors)
    {
        var extension = Path.GetExtension(fileName).ToUpperInvariant();
        JsonNode? root;
        try
        {
            switch (extension)
            {
                case ".JSON":
                    root = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
                    break;
                case ".YAML" or ".YML":
                    root = YamlTemplateReader.Read(text);
                    break;
                default:
                    errors.Add("(file)", $"'{extension}' is not a template format", "name the file *.yaml, *.yml or *.json");
                    return null;
            }
        }
        catch (JsonException error)
        {
            errors.Add("(document)", $"is not valid JSON (line {error.LineNumber + 1}, position {error.BytePositionInLine + 1}): {FirstSentence(error.Message)}", "correct the JSON syntax at that place");
            return null;
        }
        catch (InvalidOperationException) when (extension is ".YAML" or ".YML")
        {
            errors.Add("(document)", "is not valid YAML (the parser stopped: an unclosed bracket or quote is the usual cause)", "correct the YAML syntax");
            return null;
        }
        catch (YamlException error)
        {
            errors.Add("(document)", $"is not valid YAML (line {error.Start.Line}, column {error.Start.Column}): {FirstSentence(error.InnerException?.Message ?? error.Message)}", "correct the YAML syntax at that place");
            return null;
        }
        if (root is not JsonObject obj)
        {
            errors.Add("(document)", "is not a mapping", "write the template as a mapping with 'parameters', 'identity', 'grants' and 'workload'");
            return null;
        }
        return obj;
    }

    private static Dictionary<string, TemplateParameter> ReadParameters(JsonNode? node, TemplateErrorList errors)
    {
        var parameters = new Dictionary<string, TemplateParameter>(StringComparer.OrdinalIgnoreCase);
        var obj = errors.Object(node, "parameters", required: false, "{ image: { type: string } }");
        foreach (var (name, value) in obj ?? [])
        {
            var path = "parameters." + name;
            if (!ParameterName().IsMatch(name))
            {
                errors.Add(path, $"'{name}' is not a usable parameter name", "use letters, digits and '_', starting with a letter");
            }
            var declaration = errors.Object(value, path, required: true, "{ type: string }");
            if (declaration is null)
            {
                continue;
            }
            errors.OnlyKnownKeys(declaration, path, "type", "defaultValue", "allowedValues", "metadata", "description");
            var typeText = errors.String(declaration["type"], path + ".type", required: true, "string");
            TemplateParameterType? type = typeText?.ToUpperInvariant() switch
            {
                null => null,
                "STRING" => TemplateParameterType.String,
                "SECURESTRING" => TemplateParameterType.SecureString,
                "INT" => TemplateParameterType.Int,
                "BOOL" => TemplateParameterType.Bool,
                _ => null,
            };
            if (typeText is not null && type is null)
            {
                errors.Add(path + ".type", $"'{typeText}' is not a parameter type", "use string, securestring, int or bool");
                continue;
            }
            var defaultValue = declaration["defaultValue"];
            if (type is { } t && defaultValue is not null && !errors.IsDeferred(defaultValue) && !TemplateBinder.HasType(defaultValue, t))
            {
                errors.Add(path + ".defaultValue", $"{TemplateErrorList.Describe(defaultValue)} is not of type {TemplateBinder.TypeText(t)}",
                    $"give a default of type {TemplateBinder.TypeText(t)} (quote strings, leave numbers and booleans unquoted)");
            }
            if (defaultValue is JsonValue defaultText && errors.IsDeferred(defaultText)
                && TemplateExpressionParser.TryParse(defaultText.GetValue<string>(), out var defaultExpression, out _)
                && defaultExpression!.ParameterReferences().Any())
            {
                errors.Add(path + ".defaultValue", "a default value cannot read other parameters", "write a literal default, or an expression of resourceGroup()/subscription() only");
            }
            var allowed = errors.Array(declaration["allowedValues"], path + ".allowedValues", required: false, "['Standard', 'Premium']");
            var allowedJson = new List<string>();
            for (var i = 0; i < (allowed?.Count ?? 0); i++)
            {
                if (type is { } at && !TemplateBinder.HasType(allowed![i], at))
                {
                    errors.Add(TemplateErrorList.Index(path + ".allowedValues", i), $"{TemplateErrorList.Describe(allowed[i])} is not of type {TemplateBinder.TypeText(at)}", "list values of the parameter's type");
                }
                allowedJson.Add(allowed![i]?.ToJsonString() ?? "null");
            }
            var description = errors.String(declaration["description"], path + ".description", required: false, "'The image to run'")
                ?? (declaration["metadata"] as JsonObject)?["description"]?.GetValue<string>();
            if (type is not null)
            {
                parameters[name] = new TemplateParameter(name, type.Value, defaultValue?.ToJsonString(), allowedJson, description);
            }
        }
        return parameters;
    }

    /// <summary>Picks the workload's kind by its <c>type</c> and lets the kind check it; checks the identity fits the kind.</summary>
    private static void ReadWorkload(JsonObject workload, TemplateIdentity? identity, TemplateErrorList errors)
    {
        var type = workload["type"] is JsonValue typeValue && typeValue.TryGetValue<string>(out var typeText) ? typeText : null;
        if (!WorkloadKinds.TryGet(type, out var kind))
        {
            errors.Add("workload.type", $"'{type}' is not a supported workload type", $"use one of: {string.Join(", ", WorkloadKinds.Types)} (or leave 'type' out for {WorkloadKinds.DefaultType})");
            return;
        }

        if (identity is { SystemAssigned: true, WrittenWithName: true } && kind.Identities.HasFlag(WorkloadIdentityModes.SystemAssigned))
        {
            errors.Add("identity", "a system-assigned identity has no name or location of its own", "remove 'name' and 'location', or use 'type: UserAssigned'");
        }

        if (identity is { SystemAssigned: true } && !kind.Identities.HasFlag(WorkloadIdentityModes.SystemAssigned))
        {
            errors.Add("identity.type", $"a system-assigned identity cannot pull images for {kind.ServiceName}",
                "use 'UserAssigned' (or leave 'type' out): the template provisions a user-assigned identity");
        }
        else if (identity is { SystemAssigned: false } && !kind.Identities.HasFlag(WorkloadIdentityModes.UserAssigned))
        {
            errors.Add("identity.type", $"a {kind.DisplayName} pulls with its system-assigned identity here", "write 'identity: { type: SystemAssigned }'");
        }

        kind.Read(workload, new WorkloadReadContext(errors, Target: null, IdentityId: null, identity?.Name ?? string.Empty, identity?.SystemAssigned ?? false));
    }

    private static TemplateIdentity? ReadIdentity(JsonNode? node, TemplateErrorList errors)
    {
        var obj = errors.Object(node, "identity", required: true, "{ name: \"[parameters('identityName')]\" }");
        if (obj is null)
        {
            return null;
        }
        errors.OnlyKnownKeys(obj, "identity", "name", "location", "type");
        var systemAssigned = false;
        if (obj["type"] is { } typeNode)
        {
            var type = errors.String(typeNode, "identity.type", required: false, "UserAssigned");
            systemAssigned = string.Equals(type, "SystemAssigned", StringComparison.OrdinalIgnoreCase);
            if (type is not null && !systemAssigned && !type.Equals("UserAssigned", StringComparison.OrdinalIgnoreCase))
            {
                errors.Add("identity.type", $"'{type}' is not an identity type", "use 'UserAssigned' (the default: the run ensures the named identity) or 'SystemAssigned' (the workload's own)");
            }
        }
        if (systemAssigned)
        {
            // A name beside SystemAssigned is left to the kind's check, which names the real problem when the kind cannot
            // use a system-assigned identity; otherwise it is refused here.
            return new TemplateIdentity(string.Empty, null) { SystemAssigned = true, WrittenWithName = obj["name"] is not null || obj["location"] is not null };
        }
        var rawName = obj["name"] is JsonValue nameValue && nameValue.TryGetValue<string>(out var nameText) ? nameText : null;
        var name = errors.String(obj["name"], "identity.name", required: true, "\"[parameters('identityName')]\" or 'web-puller'");
        if (name is not null)
        {
            errors.Add("identity.name", AzureNameRules.CheckIdentityName(name));
        }
        var location = obj["location"] is JsonValue locationValue && locationValue.TryGetValue<string>(out var locationText) ? locationText : null;
        if (obj["location"] is not null && location is null)
        {
            errors.String(obj["location"], "identity.location", required: false, "westeurope");
        }
        return rawName is null ? null : new TemplateIdentity(rawName, location);
    }

    private static List<TemplateGrant>? ReadGrants(JsonNode? node, TemplateErrorList errors)
    {
        var array = errors.Array(node, "grants", required: false, "[{ role: AcrPull, scope: \"[parameters('registryId')]\" }]");
        var grants = new List<TemplateGrant>();
        var complete = true;
        for (var i = 0; i < (array?.Count ?? 0); i++)
        {
            var path = TemplateErrorList.Index("grants", i);
            var obj = errors.Object(array![i], path, required: true, "{ role: AcrPull, scope: ... }");
            if (obj is null)
            {
                complete = false;
                continue;
            }
            errors.OnlyKnownKeys(obj, path, "role", "scope");
            var role = errors.String(obj["role"], path + ".role", required: true, "AcrPull");
            Guid? roleId = null;
            if (obj["role"] is not null && errors.IsDeferred(obj["role"]))
            {
                errors.Add(path + ".role", "cannot be an expression", $"write a built-in role name ({string.Join(", ", BuiltInRoles.Names)}) or a role definition GUID");
            }
            else if (role is not null)
            {
                if (Guid.TryParse(role, out var guid))
                {
                    roleId = guid;
                }
                else if (BuiltInRoles.TryGetId(role, out var builtIn))
                {
                    roleId = builtIn;
                }
                else
                {
                    errors.Add(path + ".role", $"'{role}' is not a known role", $"write one of {string.Join(", ", BuiltInRoles.Names)}, or a role definition GUID");
                }
            }
            var rawScope = obj["scope"] is JsonValue scopeValue && scopeValue.TryGetValue<string>(out var scopeText) ? scopeText : null;
            var scope = errors.String(obj["scope"], path + ".scope", required: true, "\"[parameters('registryId')]\"");
            if (scope is not null && !ArmResourceId.TryParse(scope, out _, out var problem))
            {
                errors.Add(path + ".scope", $"'{scope}' is not a resource id: {problem}", "write the scope's full resource id, e.g. /subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ContainerRegistry/registries/{name}, or \"[parameters('registryId')]\"");
            }
            if (roleId is null || rawScope is null)
            {
                complete = false;
                continue;
            }
            grants.Add(new TemplateGrant(role!, roleId.Value, rawScope));
        }
        return complete ? grants : null;
    }

    private static void CheckExpressions(JsonNode? node, string path, IReadOnlyDictionary<string, TemplateParameter> parameters, TemplateErrorList errors)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj)
                {
                    var childPath = TemplateErrorList.Join(path, key);
                    if (path.Length == 0 && key == "parameters")
                    {
                        foreach (var (name, declaration) in child as JsonObject ?? [])
                        {
                            CheckExpressions((declaration as JsonObject)?["defaultValue"], $"parameters.{name}.defaultValue", parameters, errors);
                        }
                        continue;
                    }
                    CheckExpressions(child, childPath, parameters, errors);
                }
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    CheckExpressions(array[i], TemplateErrorList.Index(path, i), parameters, errors);
                }
                break;
            case JsonValue value when value.TryGetValue<string>(out var text) && TemplateExpression.IsExpression(text):
                if (!TemplateExpressionParser.TryParse(text, out var expression, out var problem))
                {
                    errors.Add(path, problem!, $"write an ARM expression using {TemplateExpressionParser.KnownFunctions}, e.g. [parameters('image')]; to write a literal starting with '[', start it with '[['");
                    break;
                }
                foreach (var reference in expression!.ParameterReferences().Where(r => !parameters.ContainsKey(r)).Distinct())
                {
                    errors.Add(path, $"the parameter '{reference}' is not declared",
                        parameters.Count == 0
                            ? $"declare it under 'parameters', e.g. {reference}: {{ type: string }}"
                            : $"declare it under 'parameters' (e.g. {reference}: {{ type: string }}) or use a declared one: {string.Join(", ", parameters.Keys)}");
                }
                break;
        }
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return (end > 0 ? message[..end] : message).TrimEnd('.');
    }

    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_.-]*$")]
    private static partial Regex TemplateName();

    [GeneratedRegex("^[a-zA-Z][a-zA-Z0-9_]*$")]
    private static partial Regex ParameterName();
}
