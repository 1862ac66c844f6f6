namespace Provisioning.Host.Bench;

/// <summary>What the garbage collector did during a burst (the whole process: host, engine, emulator and senders).</summary>
internal sealed record GcFigures(double PauseMs, double AllocatedMb, int Gen0, int Gen1, int Gen2);
