using Provisioning.ArmEmulator.Faults;

namespace Provisioning.ArmEmulator;

/// <summary>How the emulator starts.</summary>
public sealed record ArmEmulatorOptions
{
    /// <summary>Loopback port; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>Folder for the persisted certificate and token key. Default: <c>{LocalApplicationData}/provisioning-arm-emulator</c>.</summary>
    public string? DataDirectory { get; init; }

    /// <summary>The single subscription the emulator serves.</summary>
    public string SubscriptionId { get; init; } = "00000000-0000-0000-0000-00000000c0de";

    /// <summary>The tenant of the subscription and every principal.</summary>
    public string TenantId { get; init; } = "00000000-0000-0000-0000-0000000a11ce";

    /// <summary>Locations accepted for resources.</summary>
    public IReadOnlyList<string> Locations { get; init; } = ["westeurope", "northeurope", "eastus", "eastus2", "westus2", "westus3", "swedencentral", "uksouth"];

    /// <summary>Faults in force at start.</summary>
    public FaultSettings Faults { get; init; } = new();

    /// <summary>Seed of the random source behind every random fault.</summary>
    public int Seed { get; init; } = 1;

    /// <summary><c>Retry-After</c> (seconds) sent with long-running operations.</summary>
    public int AsyncRetryAfterSeconds { get; init; } = 1;

    /// <summary>Page size of list operations (role assignments, resource lists); the rest comes through <c>nextLink</c>.</summary>
    public int PageSize { get; init; } = 100;

    /// <summary>Most recent requests kept in the request log.</summary>
    public int RequestLogCapacity { get; init; } = 200_000;

    /// <summary>Whether to log each request to the console logger (standalone default).</summary>
    public bool LogRequests { get; init; }
}
