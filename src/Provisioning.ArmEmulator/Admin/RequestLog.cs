using System.Collections.Concurrent;

namespace Provisioning.ArmEmulator.Admin;

/// <summary>The bounded log of ARM requests (admin and token calls are not logged).</summary>
internal sealed class RequestLog(int capacity)
{
    private readonly ConcurrentQueue<RequestLogEntry> _entries = new();

    public void Add(RequestLogEntry entry)
    {
        _entries.Enqueue(entry);
        while (_entries.Count > capacity && _entries.TryDequeue(out _))
        {
        }
    }

    public IReadOnlyList<RequestLogEntry> Snapshot() => [.. _entries];

    public void Clear() => _entries.Clear();
}
