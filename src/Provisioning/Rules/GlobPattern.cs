using System.Text;
using System.Text.RegularExpressions;

namespace Provisioning.Rules;

/// <summary>
/// A name pattern of a rule: <c>*</c> matches any run of characters (also none), <c>?</c> exactly one; everything
/// else matches itself. Matching ignores case, as registry, resource group and template names do in Azure.
/// </summary>
public sealed record GlobPattern
{
    private readonly Regex _regex;

    private GlobPattern(string text)
    {
        Text = text;
        var pattern = new StringBuilder("^");
        foreach (var c in text)
        {
            pattern.Append(c switch
            {
                '*' => ".*",
                '?' => ".",
                _ => Regex.Escape(c.ToString()),
            });
        }

        pattern.Append('$');
        _regex = new Regex(pattern.ToString(), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline, TimeSpan.FromSeconds(1));
    }

    /// <summary>The pattern that matches everything.</summary>
    public static GlobPattern Any { get; } = new("*");

    /// <summary>The pattern as written.</summary>
    public string Text { get; }

    /// <summary>Whether the pattern contains a wildcard.</summary>
    public bool HasWildcard => Text.Contains('*', StringComparison.Ordinal) || Text.Contains('?', StringComparison.Ordinal);

    /// <summary>Creates a pattern.</summary>
    /// <param name="text">The pattern text (not empty).</param>
    public static GlobPattern Parse(string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        return new GlobPattern(text);
    }

    /// <summary>Whether <paramref name="value"/> matches.</summary>
    /// <param name="value">The value; null matches nothing.</param>
    public bool IsMatch(string? value) => value is not null && _regex.IsMatch(value);

    /// <inheritdoc/>
    public bool Equals(GlobPattern? other) => other is not null && string.Equals(Text, other.Text, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Text);

    /// <inheritdoc/>
    public override string ToString() => Text;
}
