using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Provisioning.ArmEmulator.Arm;

namespace Provisioning.ArmEmulator.ContainerRegistry;

/// <summary>
/// The <c>$filter</c> of <c>GET …/registries/{r}/runs</c>, as far as the emulator supports ACR's OData: comparisons
/// <c>Field eq 'value'</c> / <c>Field ne 'value'</c> and <c>contains(Field, 'value')</c> on RunId, TaskName, Status,
/// RunType (what <c>az acr task list-runs</c> sends), joined by <c>and</c> / <c>or</c> (<c>and</c> binds tighter). Anything
/// else is refused with 400 rather than ignored, so a client never reads an unfiltered list as a filtered one.
/// </summary>
internal sealed partial class RunFilter
{
    private static readonly Dictionary<string, string> Fields = new(StringComparer.OrdinalIgnoreCase)
    {
        ["RunId"] = "runId",
        ["TaskName"] = "task",
        ["Status"] = "status",
        ["RunType"] = "runType",
    };

    private readonly IReadOnlyList<IReadOnlyList<Func<JsonObject, bool>>> _alternatives;

    private RunFilter(IReadOnlyList<IReadOnlyList<Func<JsonObject, bool>>> alternatives) => _alternatives = alternatives;

    public static RunFilter? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var alternatives = OrSplit().Split(text.Trim())
            .Select(alternative => (IReadOnlyList<Func<JsonObject, bool>>)AndSplit().Split(alternative.Trim()).Select(Clause).ToArray())
            .ToArray();
        return new RunFilter(alternatives);
    }

    public bool Matches(JsonObject run)
    {
        var properties = run["properties"] as JsonObject ?? [];
        return _alternatives.Any(all => all.All(clause => clause(properties)));
    }

    private static Func<JsonObject, bool> Clause(string clause)
    {
        var comparison = Comparison().Match(clause);
        if (comparison.Success)
        {
            var member = Member(comparison.Groups["field"].Value, clause);
            var value = comparison.Groups["value"].Value.Replace("''", "'", StringComparison.Ordinal);
            var equal = comparison.Groups["op"].Value.Equals("eq", StringComparison.OrdinalIgnoreCase);
            return p => string.Equals(Text(p, member), value, StringComparison.OrdinalIgnoreCase) == equal;
        }

        var contains = Contains().Match(clause);
        if (contains.Success)
        {
            var member = Member(contains.Groups["field"].Value, clause);
            var value = contains.Groups["value"].Value.Replace("''", "'", StringComparison.Ordinal);
            return p => Text(p, member)?.Contains(value, StringComparison.OrdinalIgnoreCase) == true;
        }

        throw Invalid($"The filter clause '{clause}' is not supported. Use Field eq 'value', Field ne 'value' or contains(Field, 'value') on {string.Join(", ", Fields.Keys)}.");
    }

    private static string Member(string field, string clause) =>
        Fields.TryGetValue(field, out var member) ? member : throw Invalid($"The filter clause '{clause}' names an unknown field '{field}'. Known fields: {string.Join(", ", Fields.Keys)}.");

    private static string? Text(JsonObject properties, string member) =>
        properties[member] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static ArmException Invalid(string message) => new(HttpStatusCode.BadRequest, "InvalidRequest", message);

    [GeneratedRegex(@"\s+or\s+", RegexOptions.IgnoreCase)]
    private static partial Regex OrSplit();

    [GeneratedRegex(@"\s+and\s+", RegexOptions.IgnoreCase)]
    private static partial Regex AndSplit();

    [GeneratedRegex(@"^\(?\s*(?<field>[A-Za-z]+)\s+(?<op>eq|ne)\s+'(?<value>(?:[^']|'')*)'\s*\)?$", RegexOptions.IgnoreCase)]
    private static partial Regex Comparison();

    [GeneratedRegex(@"^contains\(\s*(?<field>[A-Za-z]+)\s*,\s*'(?<value>(?:[^']|'')*)'\s*\)$", RegexOptions.IgnoreCase)]
    private static partial Regex Contains();
}
