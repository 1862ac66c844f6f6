using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;

namespace Provisioning.Templates.Expressions;

/// <summary>Parses the ARM expression subset of <see cref="TemplateExpression"/>, naming the problem on failure.</summary>
internal static class TemplateExpressionParser
{
    private static readonly Dictionary<string, (int Min, int Max, string[] Properties)> Functions = new(StringComparer.OrdinalIgnoreCase)
    {
        ["parameters"] = (1, 1, []),
        ["concat"] = (1, int.MaxValue, []),
        ["format"] = (1, int.MaxValue, []),
        ["base64"] = (1, 1, []),
        ["resourceId"] = (2, int.MaxValue, []),
        ["resourceGroup"] = (0, 0, ["name", "location", "id"]),
        ["subscription"] = (0, 0, ["subscriptionId", "id"]),
    };

    // A template is bound for every run and every event, and its expressions never change: their parses are kept, up
    // to a bound that the expressions of any set of templates stays far below.
    private const int MaxRemembered = 4096;
    private static readonly ConcurrentDictionary<string, ParseResult> Parsed = new(StringComparer.Ordinal);

    /// <summary>The functions understood, for error messages.</summary>
    public static string KnownFunctions => string.Join(", ", Functions.Keys.Select(f => f + "()"));

    /// <summary>
    /// <see cref="TryParse"/>, remembered: for the expressions of loaded templates, which are parsed again at every bind.
    /// Expressions are immutable, so a parse can be shared.
    /// </summary>
    public static bool TryParseCached(string text, out TemplateExpression? expression, out string? problem)
    {
        if (!Parsed.TryGetValue(text, out var result))
        {
            result = TryParse(text, out var parsed, out var why) ? new ParseResult(parsed, null) : new ParseResult(null, why);
            if (Parsed.Count < MaxRemembered)
            {
                Parsed.TryAdd(text, result);
            }
        }

        expression = result.Expression;
        problem = result.Problem;
        return expression is not null;
    }

    /// <summary>Parses the text of an expression string, including its brackets.</summary>
    public static bool TryParse(string text, out TemplateExpression? expression, out string? problem)
    {
        var cursor = new Cursor(text[1..^1]);
        try
        {
            cursor.SkipSpace();
            var parsed = ParseCall(cursor);
            cursor.SkipSpace();
            if (!cursor.AtEnd)
            {
                throw new FormatException($"unexpected '{cursor.Rest}' after the expression");
            }
            expression = parsed;
            problem = null;
            return true;
        }
        catch (FormatException error)
        {
            expression = null;
            problem = $"the expression '{text}' cannot be read: {error.Message}";
            return false;
        }
    }

    private static TemplateExpression ParseArgument(Cursor cursor)
    {
        cursor.SkipSpace();
        if (cursor.Peek == '\'')
        {
            return new TemplateExpression.Literal(JsonValue.Create(cursor.ReadString()));
        }
        if (cursor.Peek is '-' or (>= '0' and <= '9'))
        {
            var number = cursor.ReadWhile(c => c is '-' or '.' or (>= '0' and <= '9'));
            return long.TryParse(number, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer)
                ? new TemplateExpression.Literal(JsonValue.Create(integer))
                : new TemplateExpression.Literal(JsonValue.Create(double.Parse(number, CultureInfo.InvariantCulture)));
        }
        return ParseCall(cursor);
    }

    private static TemplateExpression.Call ParseCall(Cursor cursor)
    {
        var name = cursor.ReadWhile(char.IsAsciiLetterOrDigit);
        if (name.Length == 0)
        {
            throw new FormatException(cursor.AtEnd ? "the expression is empty" : $"expected a function name at '{cursor.Rest}'");
        }
        if (!Functions.TryGetValue(name, out var shape))
        {
            throw new FormatException($"'{name}' is not a supported function (supported: {KnownFunctions})");
        }
        cursor.SkipSpace();
        cursor.Expect('(');
        var arguments = new List<TemplateExpression>();
        cursor.SkipSpace();
        if (cursor.Peek != ')')
        {
            while (true)
            {
                arguments.Add(ParseArgument(cursor));
                cursor.SkipSpace();
                if (cursor.Peek == ',')
                {
                    cursor.Advance();
                    continue;
                }
                break;
            }
        }
        cursor.Expect(')');
        if (arguments.Count < shape.Min || arguments.Count > shape.Max)
        {
            throw new FormatException(shape.Min == shape.Max
                ? $"{name}() takes {shape.Min} argument(s), not {arguments.Count}"
                : $"{name}() takes at least {shape.Min} argument(s), not {arguments.Count}");
        }
        if (name.Equals("parameters", StringComparison.OrdinalIgnoreCase)
            && !(arguments[0] is TemplateExpression.Literal { Value: JsonValue literal } && literal.TryGetValue<string>(out _)))
        {
            throw new FormatException("parameters() takes the parameter name as a quoted string, e.g. parameters('image')");
        }
        var properties = new List<string>();
        while (cursor.Peek == '.')
        {
            cursor.Advance();
            var property = cursor.ReadWhile(char.IsAsciiLetterOrDigit);
            if (!shape.Properties.Contains(property, StringComparer.OrdinalIgnoreCase))
            {
                throw new FormatException(shape.Properties.Length == 0
                    ? $"{name}() has no properties"
                    : $"{name}() has no property '{property}' (it has: {string.Join(", ", shape.Properties)})");
            }
            properties.Add(property);
        }
        return new TemplateExpression.Call(name, arguments, properties);
    }

    private sealed class Cursor(string text)
    {
        private int _position;

        public bool AtEnd => _position >= text.Length;

        public char Peek => AtEnd ? '\0' : text[_position];

        public string Rest => text[_position..];

        public void Advance() => _position++;

        public void SkipSpace()
        {
            while (!AtEnd && char.IsWhiteSpace(text[_position]))
            {
                _position++;
            }
        }

        public void Expect(char expected)
        {
            SkipSpace();
            if (Peek != expected)
            {
                throw new FormatException(AtEnd ? $"expected '{expected}' at the end" : $"expected '{expected}' at '{Rest}'");
            }
            _position++;
        }

        public string ReadWhile(Func<char, bool> accept)
        {
            var start = _position;
            while (!AtEnd && accept(text[_position]))
            {
                _position++;
            }
            return text[start.._position];
        }

        public string ReadString()
        {
            _position++;
            var value = new System.Text.StringBuilder();
            while (true)
            {
                if (AtEnd)
                {
                    throw new FormatException("a quoted string is not closed with '");
                }
                var c = text[_position++];
                if (c == '\'')
                {
                    if (Peek == '\'')
                    {
                        value.Append('\'');
                        _position++;
                        continue;
                    }
                    return value.ToString();
                }
                value.Append(c);
            }
        }
    }

    private sealed record ParseResult(TemplateExpression? Expression, string? Problem);
}
