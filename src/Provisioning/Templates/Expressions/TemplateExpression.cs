using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Provisioning.Templates.Expressions;

/// <summary>
/// An ARM template expression in a string value, <c>[parameters('image')]</c>, with the subset of ARM's
/// functions a template here needs: <c>parameters</c>, <c>concat</c>, <c>format</c>, <c>resourceId</c>,
/// <c>resourceGroup()</c> (<c>.name</c>, <c>.location</c>, <c>.id</c>) and <c>subscription()</c>
/// (<c>.subscriptionId</c>, <c>.id</c>). As in ARM, a string that starts with <c>[[</c> is a literal
/// starting with <c>[</c>.
/// </summary>
internal abstract record TemplateExpression
{
    /// <summary>ACR's and Container Apps' literal for a system-assigned identity; not an expression.</summary>
    public const string SystemIdentity = "[system]";

    /// <summary>Whether a JSON string is an expression (starts with '[' but not '[[', ends with ']').</summary>
    public static bool IsExpression(string value) =>
        !value.Equals(SystemIdentity, StringComparison.OrdinalIgnoreCase) && value.Length >= 2 && value[0] == '[' && value[1] != '[' && value[^1] == ']';

    /// <summary>The literal a non-expression string stands for (drops the escaping '[' of '[[').</summary>
    public static string Unescape(string value) =>
        value.StartsWith("[[", StringComparison.Ordinal) ? value[1..] : value;

    /// <summary>The parameters the expression reads.</summary>
    public abstract IEnumerable<string> ParameterReferences();

    /// <summary>Evaluates the expression.</summary>
    public abstract JsonNode? Evaluate(TemplateExpressionContext context);

    /// <summary>A string literal.</summary>
    public sealed record Literal(JsonNode? Value) : TemplateExpression
    {
        /// <inheritdoc />
        public override IEnumerable<string> ParameterReferences() => [];

        /// <inheritdoc />
        public override JsonNode? Evaluate(TemplateExpressionContext context) => Value?.DeepClone();
    }

    /// <summary>A function call with arguments, optionally followed by property accesses.</summary>
    public sealed record Call(string Function, IReadOnlyList<TemplateExpression> Arguments, IReadOnlyList<string> Properties) : TemplateExpression
    {
        /// <inheritdoc />
        public override IEnumerable<string> ParameterReferences()
        {
            if (Function.Equals("parameters", StringComparison.OrdinalIgnoreCase)
                && Arguments is [Literal { Value: JsonValue name }] && name.TryGetValue<string>(out var text))
            {
                yield return text;
            }
            foreach (var reference in Arguments.SelectMany(a => a.ParameterReferences()))
            {
                yield return reference;
            }
        }

        /// <inheritdoc />
        public override JsonNode? Evaluate(TemplateExpressionContext context)
        {
            // resourceGroup().location and the like read the one property, without building the object first.
            if (Properties.Count == 1 && context.Property(Function, Properties[0]) is { } direct)
            {
                return JsonValue.Create(direct);
            }

            JsonNode? value = Function switch
            {
                _ when Is("parameters") => context.Parameter(AsString(Arguments[0].Evaluate(context))),
                _ when Is("concat") => JsonValue.Create(string.Concat(Arguments.Select(a => AsString(a.Evaluate(context))))),
                _ when Is("format") => JsonValue.Create(string.Format(
                    CultureInfo.InvariantCulture,
                    AsString(Arguments[0].Evaluate(context)),
                    Arguments.Skip(1).Select(a => (object)AsString(a.Evaluate(context))).ToArray())),
                _ when Is("base64") => JsonValue.Create(Convert.ToBase64String(Encoding.UTF8.GetBytes(AsString(Arguments[0].Evaluate(context))))),
                _ when Is("resourceId") => JsonValue.Create(context.ResourceId(
                    AsString(Arguments[0].Evaluate(context)),
                    Arguments.Skip(1).Select(a => AsString(a.Evaluate(context))).ToArray())),
                _ when Is("resourceGroup") => context.ResourceGroup(),
                _ when Is("subscription") => context.Subscription(),
                _ => throw new InvalidOperationException($"Unknown function '{Function}'."),
            };
            foreach (var property in Properties)
            {
                value = value is JsonObject obj && obj.TryGetPropertyValue(property, out var child)
                    ? child?.DeepClone()
                    : throw new InvalidOperationException($"'{Function}()' has no property '{property}'.");
            }
            return value;
        }

        private bool Is(string function) => Function.Equals(function, StringComparison.OrdinalIgnoreCase);

        private static string AsString(JsonNode? node) => node switch
        {
            null => string.Empty,
            JsonValue value when value.TryGetValue<string>(out var text) => text,
            _ => node.ToJsonString(),
        };
    }

    /// <summary>The expression as ARM text (without the enclosing brackets).</summary>
    public sealed override string ToString() => this switch
    {
        Literal { Value: JsonValue v } when v.TryGetValue<string>(out var s) => "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'",
        Literal l => l.Value?.ToJsonString() ?? "null",
        Call c => new StringBuilder(c.Function).Append('(').AppendJoin(", ", c.Arguments.Select(a => a.ToString()))
            .Append(')').Append(string.Concat(c.Properties.Select(p => "." + p))).ToString(),
        _ => base.ToString()!,
    };
}
