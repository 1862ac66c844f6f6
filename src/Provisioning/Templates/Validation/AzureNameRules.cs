using System.Text.RegularExpressions;

namespace Provisioning.Templates.Validation;

/// <summary>
/// The naming rules Azure enforces for the names a template carries; each check returns the problem and the
/// fix, or null when the name is acceptable.
/// </summary>
public static partial class AzureNameRules
{
    /// <summary>A user-assigned identity name: 3–128 characters, letters, digits, '-' and '_', starting with a letter or digit.</summary>
    /// <param name="name">The name.</param>
    public static (string Problem, string Fix)? CheckIdentityName(string name) =>
        name.Length is < 3 or > 128 || !IdentityName().IsMatch(name)
            ? ($"'{name}' is not a valid user-assigned identity name",
               "use 3 to 128 characters: letters, digits, '-' and '_', starting with a letter or digit")
            : null;

    /// <summary>A container group name: 1–63 lowercase letters, digits and hyphens, not starting or ending with a hyphen.</summary>
    /// <param name="name">The name.</param>
    public static (string Problem, string Fix)? CheckContainerGroupName(string name) =>
        !LowercaseLabel().IsMatch(name)
            ? ($"'{name}' is not a valid container group name",
               "use 1 to 63 lowercase letters, digits and hyphens, not starting or ending with a hyphen")
            : null;

    /// <summary>A container name: the same rule as a container group name.</summary>
    /// <param name="name">The name.</param>
    public static (string Problem, string Fix)? CheckContainerName(string name) =>
        !LowercaseLabel().IsMatch(name)
            ? ($"'{name}' is not a valid container name",
               "use 1 to 63 lowercase letters, digits and hyphens, not starting or ending with a hyphen")
            : null;

    /// <summary>A container group DNS name label: 5–63 lowercase letters, digits and hyphens, starting with a letter, ending with a letter or digit.</summary>
    /// <param name="label">The label.</param>
    public static (string Problem, string Fix)? CheckDnsNameLabel(string label) =>
        !DnsLabel().IsMatch(label)
            ? ($"'{label}' is not a valid DNS name label",
               "use 5 to 63 lowercase letters, digits and hyphens, starting with a letter and ending with a letter or digit")
            : null;

    /// <summary>A registry login server: <c>{registry}.azurecr.io</c> (or the sovereign-cloud suffixes), without scheme or path.</summary>
    /// <param name="server">The login server.</param>
    public static (string Problem, string Fix)? CheckLoginServer(string server)
    {
        if (server.Contains("://", StringComparison.Ordinal))
        {
            return ($"'{server}' has a scheme", $"write the login server alone, e.g. '{server[(server.IndexOf("://", StringComparison.Ordinal) + 3)..].TrimEnd('/')}'");
        }
        return !LoginServer().IsMatch(server)
            ? ($"'{server}' is not a registry login server", "write the registry's login server, e.g. 'myregistry.azurecr.io' (registry name: 5 to 50 letters and digits)")
            : null;
    }

    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_-]*$")]
    private static partial Regex IdentityName();

    [GeneratedRegex("^(?=.{1,63}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?$")]
    private static partial Regex LowercaseLabel();

    [GeneratedRegex("^(?=.{5,63}$)[a-z]([a-z0-9-]*[a-z0-9])?$")]
    private static partial Regex DnsLabel();

    [GeneratedRegex(@"^[a-zA-Z0-9]{5,50}(-[a-z0-9]+)?\.azurecr\.(io|cn|us)$")]
    private static partial Regex LoginServer();
}
