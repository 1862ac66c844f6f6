using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Provisioning.Arm.Authorization;
using Provisioning.Arm.Resources;
using Provisioning.Templates.Expressions;
using Provisioning.Templates.Validation;
using Provisioning.Workloads;

namespace Provisioning.Templates.Binding;

/// <summary>Binds a template's parameters and evaluates its expressions into a <see cref="ResolvedTemplate"/>.</summary>
internal sealed class TemplateBinder(Template template)
{
    private const string UserAssignedIdentityType = "Microsoft.ManagedIdentity/userAssignedIdentities";

    // Every bind walks the template's workload. Parsed text hands out nodes over a JSON document, which a walk
    // materializes and every copy clones; so each template's workload is parsed once into plain values and shared
    // (read-only: a bind builds a new tree from it).
    private static readonly ConditionalWeakTable<Template, JsonNode> Workloads = [];
    private readonly TemplateErrorList _errors = new(template.SourceFile, resolved: true);

    public ResolvedTemplate Bind(IReadOnlyDictionary<string, JsonNode?> supplied, TemplateTarget target)
    {
        if (!Guid.TryParseExact(target.SubscriptionId, "D", out _))
        {
            _errors.Add("(target).subscriptionId", $"'{target.SubscriptionId}' is not a subscription id", "pass the subscription's GUID");
        }
        if (string.IsNullOrWhiteSpace(target.ResourceGroupName))
        {
            _errors.Add("(target).resourceGroupName", "is empty", "pass the resource group to deploy into");
        }
        ThrowIfErrors();

        var values = BindParameters(supplied, target);
        ThrowIfErrors();
        var context = new TemplateExpressionContext(values, target);

        var source = Workloads.GetValue(template, static t => ToPlainValues(JsonNode.Parse(t.WorkloadJson))!);
        var workload = (JsonObject)Evaluate(source, "workload", context)!;
        var systemAssigned = template.Identity.SystemAssigned;
        var identityName = systemAssigned ? null : EvaluateString(template.Identity.Name, "identity.name", context);
        var identityLocation = systemAssigned ? null : template.Identity.Location is null
            ? (workload["location"] as JsonValue)?.GetValue<string>()
            : EvaluateString(template.Identity.Location, "identity.location", context);

        ArmResourceId? identityId = null;
        if (identityName is not null)
        {
            _errors.Add("identity.name", AzureNameRules.CheckIdentityName(identityName));
            if (AzureNameRules.CheckIdentityName(identityName) is null && !_errors.HasErrors)
            {
                identityId = ArmResourceId.ForResource(target.SubscriptionId, target.ResourceGroupName, UserAssignedIdentityType, identityName);
            }
        }

        var grants = new List<ResolvedGrant>();
        for (var i = 0; i < template.Grants.Count; i++)
        {
            var grant = template.Grants[i];
            var path = TemplateErrorList.Index("grants", i) + ".scope";
            var scope = EvaluateString(grant.Scope, path, context);
            if (scope is null)
            {
                continue;
            }
            if (!ArmResourceId.TryParse(scope, out var scopeId, out var problem))
            {
                _errors.Add(path, $"'{scope}' is not a resource id: {problem}", "pass the full resource id of the scope, e.g. the registry's /subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ContainerRegistry/registries/{name}");
                continue;
            }
            grants.Add(new ResolvedGrant(grant.RoleDefinitionId, BuiltInRoles.NameOf(grant.RoleDefinitionId), scopeId));
        }

        var type = (workload["type"] as JsonValue)?.GetValue<string>();
        var kind = WorkloadKinds.Get(type ?? WorkloadKinds.DefaultType);
        var resolved = kind.Read(workload, new WorkloadReadContext(_errors, target, identityId, identityName ?? template.Identity.Name, systemAssigned));
        ThrowIfErrors();
        if (resolved is null || !systemAssigned && (identityId is null || identityLocation is null))
        {
            throw new TemplateException([new TemplateError(template.SourceFile, "workload", "could not be resolved", "check the template")]);
        }
        var identity = systemAssigned ? null : new ResolvedIdentity(identityId!, identityLocation!);
        return new ResolvedTemplate(template.Name, identity, grants, resolved);
    }

    private Dictionary<string, JsonNode?> BindParameters(IReadOnlyDictionary<string, JsonNode?> supplied, TemplateTarget target)
    {
        var declared = string.Join(", ", template.Parameters.Keys);
        foreach (var name in supplied.Keys.Where(k => !template.Parameters.ContainsKey(k)))
        {
            _errors.Add("parameters." + name, $"'{name}' is not a parameter of template '{template.Name}'",
                template.Parameters.Count == 0 ? "remove it; the template has no parameters" : $"remove it or correct the name; the parameters are: {declared}");
        }
        var values = new Dictionary<string, JsonNode?>(StringComparer.OrdinalIgnoreCase);
        var defaultsContext = new TemplateExpressionContext(new Dictionary<string, JsonNode?>(), target);
        foreach (var (name, parameter) in template.Parameters)
        {
            var path = "parameters." + name;
            JsonNode? value;
            if (supplied.TryGetValue(name, out var given) && given is not null)
            {
                value = given.DeepClone();
            }
            else if (parameter.DefaultValue is { } defaultValue)
            {
                value = Evaluate(defaultValue, path + ".defaultValue", defaultsContext);
            }
            else
            {
                _errors.Add(path, $"the required parameter '{name}' has no value",
                    $"pass a value of type {TypeText(parameter.Type)} for '{name}', or give it a 'defaultValue' in the template");
                continue;
            }
            if (!HasType(value, parameter.Type))
            {
                _errors.Add(path, $"expects a value of type {TypeText(parameter.Type)}, got {TemplateErrorList.Describe(parameter.Type == TemplateParameterType.SecureString ? JsonValue.Create("***") : value)}",
                    $"pass a value of type {TypeText(parameter.Type)} for '{name}'");
                continue;
            }
            if (parameter.AllowedValuesJson.Count > 0 && !parameter.AllowedValuesJson.Contains(value!.ToJsonString(), StringComparer.Ordinal))
            {
                _errors.Add(path, $"{TemplateErrorList.Describe(value)} is not an allowed value", $"use one of: {string.Join(", ", parameter.AllowedValuesJson)}");
                continue;
            }
            values[name] = value;
        }
        return values;
    }

    internal static bool HasType(JsonNode? value, TemplateParameterType type) => value is JsonValue v && type switch
    {
        TemplateParameterType.String or TemplateParameterType.SecureString => v.GetValueKind() == JsonValueKind.String,
        TemplateParameterType.Int => v.GetValueKind() == JsonValueKind.Number && JsonNumber.ToDouble(v) == Math.Floor(JsonNumber.ToDouble(v)),
        TemplateParameterType.Bool => v.GetValueKind() is JsonValueKind.True or JsonValueKind.False,
        _ => false,
    };

    internal static string TypeText(TemplateParameterType type) => type switch
    {
        TemplateParameterType.SecureString => "securestring",
        TemplateParameterType.Int => "int",
        TemplateParameterType.Bool => "bool",
        _ => "string",
    };

    private string? EvaluateString(string text, string path, TemplateExpressionContext context)
    {
        var value = Evaluate(JsonValue.Create(text), path, context);
        if (value is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            return v.GetValue<string>();
        }
        if (value is not null || !_errors.HasErrors)
        {
            _errors.Add(path, $"must be a string, not {TemplateErrorList.Describe(value)}", "make the expression give a string");
        }
        return null;
    }

    private JsonNode? Evaluate(JsonNode? node, string path, TemplateExpressionContext context)
    {
        switch (node)
        {
            case JsonObject obj:
                var result = new JsonObject();
                foreach (var (key, child) in obj)
                {
                    result[key] = Evaluate(child, TemplateErrorList.Join(path, key), context);
                }
                return result;
            case JsonArray array:
                return new JsonArray(array.Select((child, i) => Evaluate(child, TemplateErrorList.Index(path, i), context)).ToArray());
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                var text = value.GetValue<string>();
                if (!TemplateExpression.IsExpression(text))
                {
                    return JsonValue.Create(TemplateExpression.Unescape(text));
                }
                if (!TemplateExpressionParser.TryParseCached(text, out var expression, out var problem))
                {
                    _errors.Add(path, problem!, "write an ARM expression such as [parameters('image')]");
                    return null;
                }
                try
                {
                    return expression!.Evaluate(context);
                }
                catch (InvalidOperationException error)
                {
                    _errors.Add(path, $"'{text}' cannot be evaluated: {error.Message.TrimEnd('.')}", FixFor(text));
                    return null;
                }
                catch (ArmResourceIdFormatException error)
                {
                    _errors.Add(path, $"'{text}' does not give a valid resource id: {error.Problem}", "check the names passed to resourceId()");
                    return null;
                }
                catch (FormatException error)
                {
                    _errors.Add(path, $"'{text}' cannot be evaluated: {error.Message.TrimEnd('.')}", "check the format string's {0}, {1}… placeholders");
                    return null;
                }
            default:
                return node?.DeepClone();
        }
    }

    /// <summary>A copy whose values are plain strings, numbers and booleans rather than views of the parsed document.</summary>
    private static JsonNode? ToPlainValues(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.Select(p => KeyValuePair.Create(p.Key, ToPlainValues(p.Value)))),
        JsonArray array => new JsonArray(array.Select(ToPlainValues).ToArray()),
        JsonValue value => value.GetValueKind() switch
        {
            JsonValueKind.String => JsonValue.Create(value.GetValue<string>()),
            JsonValueKind.True => JsonValue.Create(true),
            JsonValueKind.False => JsonValue.Create(false),
            JsonValueKind.Number when decimal.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) => JsonValue.Create(number),
            _ => value.DeepClone(),
        },
        _ => null,
    };

    private static string FixFor(string text) => text.Contains("resourceGroup().location", StringComparison.OrdinalIgnoreCase)
        ? "pass the resource group's location with the target, or write the location explicitly"
        : "check the expression's arguments";

    private void ThrowIfErrors()
    {
        if (_errors.HasErrors)
        {
            throw new TemplateException(_errors.Errors);
        }
    }
}
