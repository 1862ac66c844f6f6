using System.Collections.Concurrent;

namespace Provisioning.ArmEmulator.EventGrid;

/// <summary>Where resource providers raise events; keeps a bounded history and hands them to the deliverer.</summary>
internal sealed class EventBus
{
    private readonly ConcurrentQueue<EmulatorEvent> _history = new();

    /// <summary>Raised for every published event (the deliverer listens).</summary>
    public event Action<EmulatorEvent>? Published;

    public void Publish(EmulatorEvent e)
    {
        _history.Enqueue(e);
        while (_history.Count > 10_000 && _history.TryDequeue(out _))
        {
        }

        Published?.Invoke(e);
    }

    public IReadOnlyList<EmulatorEvent> History => [.. _history];
}
