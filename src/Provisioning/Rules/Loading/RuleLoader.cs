using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Provisioning.Templates.Loading;
using YamlDotNet.Core;

namespace Provisioning.Rules.Loading;

/// <summary>
/// Loads a rules file (<c>*.yaml</c>, <c>*.yml</c> or <c>*.json</c>) and checks every rule, reporting all problems at
/// once, each naming the file, the field and the fix. When the known templates are given, rules must name one of them.
/// </summary>
public static partial class RuleLoader
{
    private static readonly string[] TopLevelFields = ["rules"];
    private static readonly string[] PushFields = ["name", "on", "registry", "repository", "tag", "template", "resourceGroup", "subscriptionId", "location", "imageParameter", "parameters"];
    private static readonly string[] TaggedFields = ["name", "on", "resourceGroup", "subscriptionId", "templates", "parameters"];
    private static readonly string[] DeletedFields = ["name", "on", "resourceGroup", "subscriptionId"];

    /// <summary>The values of <c>on</c>.</summary>
    public static IReadOnlyList<string> Triggers { get; } = ["ImagePushed", "ResourceGroupWritten", "ResourceGroupDeleted"];

    /// <summary>Loads a rules file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="defaultSubscriptionId">The settings' subscription for rules that name none, or null.</param>
    /// <param name="templates">The known template names, or null to skip that check.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="RuleException">The file has problems (all of them are listed).</exception>
    public static async Task<RuleSet> LoadFileAsync(string path, string? defaultSubscriptionId, IReadOnlyCollection<string>? templates, CancellationToken cancellationToken = default)
    {
        var text = await File.ReadAllTextAsync(path, cancellationToken);
        return Parse(text, Path.GetFileName(path), defaultSubscriptionId, templates);
    }

    /// <summary>Parses rules text; the format follows the file name's extension.</summary>
    /// <param name="text">The text.</param>
    /// <param name="fileName">The file name (format and error messages).</param>
    /// <param name="defaultSubscriptionId">The settings' subscription for rules that name none, or null.</param>
    /// <param name="templates">The known template names, or null to skip that check.</param>
    /// <exception cref="RuleException">The text has problems (all of them are listed).</exception>
    public static RuleSet Parse(string text, string fileName, string? defaultSubscriptionId, IReadOnlyCollection<string>? templates)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(fileName);
        var errors = new List<RuleError>();
        void Error(string path, string problem, string fix) => errors.Add(new RuleError(fileName, path, problem, fix));

        if (defaultSubscriptionId is not null && !Guid.TryParseExact(defaultSubscriptionId, "D", out _))
        {
            Error("(settings) Provisioning:SubscriptionId", $"'{defaultSubscriptionId}' is not a subscription id", "set a GUID such as 00000000-0000-0000-0000-000000000000");
        }

        var root = ReadDocument(text, fileName, Error);
        if (root is null)
        {
            throw new RuleException(errors);
        }

        if (root is not JsonObject document)
        {
            Error("(document)", "is not a mapping", "start the file with 'rules:' followed by a list of rules");
            throw new RuleException(errors);
        }

        OnlyKnown(document, string.Empty, TopLevelFields, Error);
        var rules = new List<Rule>();
        if (document["rules"] is null)
        {
            // An empty file, or one without rules: nothing reacts, which is allowed.
        }
        else if (document["rules"] is not JsonArray list)
        {
            Error("rules", "is not a list", "write the rules as a list: 'rules:' then '- name: ...' entries");
        }
        else
        {
            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < list.Count; i++)
            {
                var path = $"rules[{i}]";
                if (list[i] is not JsonObject entry)
                {
                    Error(path, "is not a mapping", "write each rule as fields: name, on, ...");
                    continue;
                }

                var rule = ReadRule(entry, path, fileName, templates, Error);
                if (rule is null)
                {
                    continue;
                }

                if (!names.Add(rule.Name))
                {
                    Error(path + ".name", $"the rule name '{rule.Name}' is used twice", "give each rule a different name");
                    continue;
                }

                rules.Add(rule);
            }
        }

        if (errors.Count > 0)
        {
            throw new RuleException(errors);
        }

        return new RuleSet(rules, defaultSubscriptionId);
    }

    private static Rule? ReadRule(JsonObject entry, string path, string file, IReadOnlyCollection<string>? templates, Action<string, string, string> error)
    {
        var before = new Counter(error);
        var name = RequiredString(entry, path, "name", "'redeploy-web'", before.Error);
        if (name is not null && !RuleName().IsMatch(name))
        {
            before.Error(path + ".name", $"'{name}' is not a usable rule name", "use letters, digits, '-', '_' and '.', starting with a letter or digit");
        }

        var on = RequiredString(entry, path, "on", string.Join(", ", Triggers), before.Error);
        var trigger = on is null ? null : Triggers.FirstOrDefault(t => t.Equals(on, StringComparison.OrdinalIgnoreCase));
        if (on is not null && trigger is null)
        {
            before.Error(path + ".on", $"'{on}' is not an event the rules react to", $"use one of {string.Join(", ", Triggers)}");
        }

        if (trigger is null || name is null)
        {
            return null;
        }

        var subscription = OptionalString(entry, path, "subscriptionId", "a subscription GUID", before.Error);
        if (subscription is not null && !Guid.TryParseExact(subscription, "D", out _))
        {
            before.Error(path + ".subscriptionId", $"'{subscription}' is not a subscription id", "write the subscription GUID, e.g. 00000000-0000-0000-0000-000000000000, or leave the field out");
        }

        Rule? rule;
        switch (trigger)
        {
            case "ImagePushed":
                OnlyKnown(entry, path + ".", PushFields, before.Error);
                var registry = Pattern(entry, path, "registry", required: true, "the registry name ('myregistry') or login server ('myregistry.azurecr.io')", before.Error);
                var repository = Pattern(entry, path, "repository", required: true, "'web' or 'team/*'", before.Error);
                var tag = Pattern(entry, path, "tag", required: false, "'v*' or '*'", before.Error) ?? GlobPattern.Any;
                var template = RequiredString(entry, path, "template", "the name of a template", before.Error);
                CheckTemplate(template, path + ".template", templates, before.Error);
                var group = RequiredString(entry, path, "resourceGroup", "'rg-web'", before.Error);
                if (group is not null && CheckResourceGroupName(group) is { } problem)
                {
                    before.Error(path + ".resourceGroup", problem, "use 1-90 letters, digits, '-', '_', '.', '(' or ')', not ending in '.'");
                }

                var location = OptionalString(entry, path, "location", "'westeurope'", before.Error);
                var imageParameter = OptionalString(entry, path, "imageParameter", "'image'", before.Error) ?? "image";
                var parameters = Parameters(entry, path, before.Error);
                if (parameters is not null && parameters.ContainsKey(imageParameter))
                {
                    before.Error($"{path}.parameters.{imageParameter}", $"'{imageParameter}' receives the pushed image, so it cannot also be fixed", "remove it from 'parameters', or name another parameter in 'imageParameter'");
                }

                rule = before.Count > 0 ? null : new ImagePushedRule(name, file, registry!, repository!, tag, template!, group!, subscription, location, imageParameter, parameters!);
                break;
            case "ResourceGroupWritten":
                OnlyKnown(entry, path + ".", TaggedFields, before.Error);
                var groups = Pattern(entry, path, "resourceGroup", required: false, "'team-*'", before.Error) ?? GlobPattern.Any;
                var allowed = Pattern(entry, path, "templates", required: false, "'*' or 'web'", before.Error) ?? GlobPattern.Any;
                if (!allowed.HasWildcard)
                {
                    CheckTemplate(allowed.Text, path + ".templates", templates, before.Error);
                }

                var fixedParameters = Parameters(entry, path, before.Error);
                rule = before.Count > 0 ? null : new ResourceGroupTaggedRule(name, file, groups, subscription, allowed, fixedParameters!);
                break;
            default:
                OnlyKnown(entry, path + ".", DeletedFields, before.Error);
                var deleted = Pattern(entry, path, "resourceGroup", required: false, "'team-*'", before.Error) ?? GlobPattern.Any;
                rule = before.Count > 0 ? null : new ResourceGroupDeletedRule(name, file, deleted, subscription);
                break;
        }

        return rule;
    }

    private static JsonNode? ReadDocument(string text, string fileName, Action<string, string, string> error)
    {
        var extension = Path.GetExtension(fileName).ToUpperInvariant();
        try
        {
            switch (extension)
            {
                case ".JSON":
                    return JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true })
                        ?? new JsonObject();
                case ".YAML" or ".YML":
                    return YamlTemplateReader.Read(text) ?? new JsonObject();
                default:
                    error("(file)", $"'{extension}' is not a rules format", "name the file *.yaml, *.yml or *.json");
                    return null;
            }
        }
        catch (JsonException exception)
        {
            error("(document)", $"is not valid JSON (line {exception.LineNumber + 1}, position {exception.BytePositionInLine + 1})", "correct the JSON syntax at that place");
            return null;
        }
        catch (InvalidOperationException) when (extension is ".YAML" or ".YML")
        {
            error("(document)", "is not valid YAML (the parser stopped: an unclosed bracket or quote is the usual cause)", "correct the YAML syntax");
            return null;
        }
        catch (YamlException exception)
        {
            error("(document)", $"is not valid YAML (line {exception.Start.Line}, column {exception.Start.Column}): {(exception.InnerException ?? exception).Message}", "correct the YAML syntax at that place");
            return null;
        }
    }

    private static void OnlyKnown(JsonObject entry, string prefix, string[] known, Action<string, string, string> error)
    {
        foreach (var (key, _) in entry)
        {
            if (!known.Contains(key, StringComparer.Ordinal))
            {
                var near = known.FirstOrDefault(k => k.Equals(key, StringComparison.OrdinalIgnoreCase));
                error(prefix + key, "is not a field here", near is not null ? $"write it as '{near}'" : $"remove it; the fields are {string.Join(", ", known)}");
            }
        }
    }

    private static string? RequiredString(JsonObject entry, string path, string field, string example, Action<string, string, string> error)
    {
        var value = OptionalString(entry, path, field, example, error);
        if (value is null && entry[field] is null)
        {
            error($"{path}.{field}", "is missing", $"add '{field}', e.g. {example}");
        }

        return value;
    }

    private static string? OptionalString(JsonObject entry, string path, string field, string example, Action<string, string, string> error)
    {
        var node = entry[field];
        if (node is null)
        {
            return null;
        }

        if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetValue<string>()))
        {
            error($"{path}.{field}", "is not a non-empty string", $"write it as text, e.g. {example}");
            return null;
        }

        return value.GetValue<string>().Trim();
    }

    private static GlobPattern? Pattern(JsonObject entry, string path, string field, bool required, string example, Action<string, string, string> error)
    {
        var text = required ? RequiredString(entry, path, field, example, error) : OptionalString(entry, path, field, example, error);
        if (text is null)
        {
            return null;
        }

        if (text.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            error($"{path}.{field}", $"'{text}' contains whitespace", "write a name or a pattern with '*' and '?', without spaces");
            return null;
        }

        return GlobPattern.Parse(text);
    }

    private static Dictionary<string, JsonNode?>? Parameters(JsonObject entry, string path, Action<string, string, string> error)
    {
        var node = entry["parameters"];
        if (node is null)
        {
            return new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        }

        if (node is not JsonObject values)
        {
            error(path + ".parameters", "is not a mapping", "write parameter values as 'name: value' pairs");
            return null;
        }

        return values.ToDictionary(p => p.Key, p => p.Value?.DeepClone(), StringComparer.Ordinal);
    }

    private static void CheckTemplate(string? template, string path, IReadOnlyCollection<string>? templates, Action<string, string, string> error)
    {
        if (template is null || templates is null || templates.Contains(template, StringComparer.OrdinalIgnoreCase))
        {
            return;
        }

        error(path, $"there is no template named '{template}'", templates.Count == 0
            ? "add the template file to the templates folder"
            : $"use one of {string.Join(", ", templates.Order(StringComparer.OrdinalIgnoreCase))}");
    }

    /// <summary>Checks a resource group name as ARM does; null when it is valid.</summary>
    /// <param name="name">The name.</param>
    public static string? CheckResourceGroupName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Length is < 1 or > 90 ? $"'{name}' has {name.Length.ToString(CultureInfo.InvariantCulture)} characters; a resource group name has 1 to 90"
            : !ResourceGroupName().IsMatch(name) ? $"'{name}' is not a resource group name"
            : name.EndsWith('.') ? $"'{name}' ends with '.'"
            : null;
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex RuleName();

    [GeneratedRegex(@"^[\p{L}\p{Nd}._()-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex ResourceGroupName();

    /// <summary>Counts the errors of one rule, passing them on.</summary>
    private sealed class Counter(Action<string, string, string> error)
    {
        public int Count { get; private set; }

        public void Error(string path, string problem, string fix)
        {
            Count++;
            error(path, problem, fix);
        }
    }
}
