namespace Provisioning.Secrets;

/// <summary>A parsed secret-field path (see <see cref="SecretFields"/> for the syntax).</summary>
/// <param name="Text">The path as written.</param>
/// <param name="Segments">Its parts, in order.</param>
internal sealed record SecretPath(string Text, IReadOnlyList<SecretPath.Segment> Segments)
{
    private const string EveryElementSuffix = "[*]";

    /// <summary>One part: a property name (or <c>*</c> for every property), followed by <c>[*]</c> for every element of its array.</summary>
    /// <param name="Name">The property name, or <c>*</c>.</param>
    /// <param name="EveryElement">Whether the part ends with <c>[*]</c>.</param>
    internal sealed record Segment(string Name, bool EveryElement);

    /// <summary>Parses a path.</summary>
    /// <exception cref="ArgumentException">The path is empty, has an empty part, or brackets other than a trailing <c>[*]</c>.</exception>
    public static SecretPath Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new ArgumentException("A secret path is empty; write one like 'properties.containers[*].properties.environmentVariables[*].secureValue'.", nameof(text));
        }
        var segments = new List<Segment>();
        foreach (var part in text.Split('.'))
        {
            var everyElement = part.EndsWith(EveryElementSuffix, StringComparison.Ordinal);
            var name = everyElement ? part[..^EveryElementSuffix.Length] : part;
            if (name.Length == 0 || name.IndexOfAny(['[', ']', ' ']) >= 0)
            {
                throw new ArgumentException(
                    $"The secret path '{text}' has an invalid part '{part}': write property names separated by dots, '[*]' after a name for every array element, '*' for every property.",
                    nameof(text));
            }
            segments.Add(new Segment(name, everyElement));
        }
        return new SecretPath(text, segments);
    }
}
