using System.Text.RegularExpressions;

namespace Provisioning.ArmEmulator.Authorization;

/// <summary>The small part of OData <c>$filter</c> ARM's authorization lists accept.</summary>
internal static partial class ODataFilter
{
    /// <summary>The value of <c>{name} eq '{value}'</c> in the filter, or null.</summary>
    public static string? EqualsValue(string? filter, string name)
    {
        if (string.IsNullOrEmpty(filter))
        {
            return null;
        }

        var match = EqPattern().Matches(filter).FirstOrDefault(m => m.Groups["name"].Value.Equals(name, StringComparison.OrdinalIgnoreCase));
        return match?.Groups["value"].Value;
    }

    /// <summary>The argument of <c>{function}('{value}')</c>, or null.</summary>
    public static string? FunctionArgument(string? filter, string function)
    {
        if (string.IsNullOrEmpty(filter))
        {
            return null;
        }

        var match = FunctionPattern().Matches(filter).FirstOrDefault(m => m.Groups["fn"].Value.Equals(function, StringComparison.OrdinalIgnoreCase));
        return match?.Groups["value"].Value;
    }

    /// <summary>Whether the filter contains <c>atScope()</c>.</summary>
    public static bool HasAtScope(string? filter) => filter?.Contains("atScope()", StringComparison.OrdinalIgnoreCase) == true;

    [GeneratedRegex(@"(?<name>[A-Za-z]+)\s+eq\s+'(?<value>[^']*)'")]
    private static partial Regex EqPattern();

    [GeneratedRegex(@"(?<fn>[A-Za-z]+)\('(?<value>[^']*)'\)")]
    private static partial Regex FunctionPattern();
}
