using System.Text.RegularExpressions;

namespace Provisioning.ArmEmulator.Validation;

/// <summary>Azure's documented naming rules for the emulated resource types.</summary>
internal static partial class NameRules
{
    public static readonly NameRule ResourceGroup = new(
        1, 90, ResourceGroupPattern(), "Resource group names are 1-90 characters of letters, digits, underscores, parentheses, hyphens and periods, and cannot end with a period.", "InvalidResourceGroupName");

    public static readonly NameRule UserAssignedIdentity = new(
        3, 128, IdentityPattern(), "The name must be 3-128 characters, start with a letter or digit, and contain only letters, digits, hyphens and underscores.");

    public static readonly NameRule ContainerGroup = new(
        1, 63, ContainerGroupPattern(), "The name must be 1-63 characters of lowercase letters, digits and hyphens, and cannot start or end with a hyphen or contain '--'.");

    public static readonly NameRule Registry = new(
        5, 50, RegistryPattern(), "The name must be 5-50 alphanumeric characters.");

    public static readonly NameRule RegistryTask = new(
        5, 50, TaskPattern(), "The name must be 5-50 characters of letters, digits, hyphens and underscores.");

    public static readonly NameRule ContainerApp = new(
        2, 32, ContainerAppPattern(), "The name must be 2-32 characters of lowercase letters, digits and hyphens, start with a letter, end with a letter or digit, and not contain '--'.");

    public static readonly NameRule ManagedEnvironment = new(
        2, 60, ManagedEnvironmentPattern(), "The name must be 2-60 characters of letters, digits and hyphens, start with a letter and end with a letter or digit.");

    public static readonly NameRule KeyVault = new(
        3, 24, KeyVaultPattern(), "The name must be 3-24 characters of letters, digits and hyphens, start with a letter, end with a letter or digit, and not contain '--'.", "VaultNameNotValid");

    [GeneratedRegex(@"^[-\w\._\(\)]*[-\w_\(\)]$")]
    private static partial Regex ResourceGroupPattern();

    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_-]*$")]
    private static partial Regex IdentityPattern();

    [GeneratedRegex("^[a-z0-9](?!.*--)([a-z0-9-]*[a-z0-9])?$")]
    private static partial Regex ContainerGroupPattern();

    [GeneratedRegex("^[a-zA-Z0-9]*$")]
    private static partial Regex RegistryPattern();

    [GeneratedRegex("^[a-zA-Z0-9_-]*$")]
    private static partial Regex TaskPattern();

    [GeneratedRegex("^[a-z](?!.*--)([a-z0-9-]*[a-z0-9])?$")]
    private static partial Regex ContainerAppPattern();

    [GeneratedRegex("^[a-zA-Z]([a-zA-Z0-9-]*[a-zA-Z0-9])?$")]
    private static partial Regex ManagedEnvironmentPattern();

    [GeneratedRegex("^[a-zA-Z](?!.*--)([a-zA-Z0-9-]*[a-zA-Z0-9])?$")]
    private static partial Regex KeyVaultPattern();
}
