using Provisioning.ArmEmulator.Faults;

namespace Provisioning.ArmEmulator;

/// <summary>How the emulator starts.</summary>
public sealed record ArmEmulatorOptions
{
    /// <summary>Loopback port; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>
    /// Folder for the certificate (<c>arm-emulator.pfx</c> / <c>.pem</c>) and the development token
    /// (<c>arm-emulator.token</c>), and with <see cref="PersistState"/> for the emulated Azure's state (<c>state/</c>) and
    /// <c>arm-emulator.json</c>. Default: <c>{LocalApplicationData}/provisioning-arm-emulator</c>.
    /// </summary>
    public string? DataDirectory { get; init; }

    /// <summary>
    /// Keep the emulated Azure in <c>{DataDirectory}/state</c>, as Azure keeps it: resources, role assignments, images,
    /// the directory's principals, event subscriptions, long-running operations (a pending one completes after a
    /// restart at its due time) and deliveries not yet done (attempted again after a restart). Every acknowledged change
    /// is on disk before its answer, so a crash (<c>kill -9</c>) loses none. The folder is then this emulator's alone
    /// (a lock file keeps a second one out), and it reuses the port it had last time when <see cref="Port"/> is 0, so
    /// operation URLs clients saved stay valid. Off by default for in-process use (tests share a certificate folder);
    /// the standalone emulator and the host's sandbox turn it on.
    /// </summary>
    public bool PersistState { get; init; }

    /// <summary>Size of the change journal past which it is folded into a new snapshot (default 8 MiB).</summary>
    public long StateCompactionBytes { get; init; } = 8 * 1024 * 1024;

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
