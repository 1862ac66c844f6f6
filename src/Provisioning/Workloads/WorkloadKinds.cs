using System.Diagnostics.CodeAnalysis;
using Provisioning.Workloads.ContainerGroups;
using Provisioning.Workloads.RegistryTasks;

namespace Provisioning.Workloads;

/// <summary>Every workload kind, by ARM type: the one registration a new kind adds its line to.</summary>
public static class WorkloadKinds
{
    private static readonly IWorkloadKind[] Kinds =
    [
        new ContainerGroupKind(),
        new GrantOnly.VirtualMachineGrantKind(),
        new GrantOnly.IdentityGrantKind(),
        new RegistryTaskKind(),
        new ContainerApps.ContainerAppKind(),
    ];

    /// <summary>The kind of a template that names no <c>workload.type</c>.</summary>
    public const string DefaultType = ContainerGroupKind.Type;

    /// <summary>The ARM types a template's <c>workload.type</c> can name.</summary>
    public static IReadOnlyList<string> Types { get; } = Kinds.Select(kind => kind.ResourceType).ToArray();

    /// <summary>The activities of every kind's deploy steps.</summary>
    public static IReadOnlyList<Type> Activities { get; } = Kinds.SelectMany(kind => kind.Activities).Distinct().ToArray();

    internal static bool TryGet(string? type, [NotNullWhen(true)] out IWorkloadKind? kind)
    {
        kind = Kinds.FirstOrDefault(k => k.ResourceType.Equals(type ?? DefaultType, StringComparison.OrdinalIgnoreCase));
        return kind is not null;
    }

    internal static IWorkloadKind Get(string type) =>
        TryGet(type, out var kind) ? kind : throw new ArgumentException($"'{type}' is not a workload kind; the kinds are {string.Join(", ", Types)}.", nameof(type));
}
