namespace Provisioning.ArmEmulator.Faults;

/// <summary>ARM's per-subscription token buckets (defaults from ARM's documented limits).</summary>
public sealed record ThrottlingSettings
{
    /// <summary>Whether throttling is on.</summary>
    public bool Enabled { get; init; }

    /// <summary>Read bucket size.</summary>
    public int ReadBurst { get; init; } = 250;

    /// <summary>Read tokens added per second.</summary>
    public double ReadsPerSecond { get; init; } = 25;

    /// <summary>Write (and delete/action) bucket size.</summary>
    public int WriteBurst { get; init; } = 200;

    /// <summary>Write tokens added per second.</summary>
    public double WritesPerSecond { get; init; } = 10;
}
