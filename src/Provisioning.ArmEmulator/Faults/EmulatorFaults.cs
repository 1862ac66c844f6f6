namespace Provisioning.ArmEmulator.Faults;

/// <summary>
/// The faults in force, changeable at run time, and the seeded random source every random decision uses.
/// </summary>
public sealed class EmulatorFaults
{
    private readonly Random _random;
    private readonly Lock _randomLock = new();
    private FaultSettings _current;

    internal EmulatorFaults(FaultSettings initial, int seed)
    {
        _current = initial;
        _random = new Random(seed);
    }

    /// <summary>Raised after the settings change.</summary>
    public event EventHandler? Changed;

    /// <summary>The settings in force.</summary>
    public FaultSettings Current => Volatile.Read(ref _current);

    /// <summary>Replaces the settings.</summary>
    public void Set(FaultSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Volatile.Write(ref _current, settings);
        Changed?.Invoke(this, EventArgs.Empty);
    }

    /// <summary>Changes the settings with a function of the current ones (e.g. <c>f =&gt; f with { ... }</c>).</summary>
    public void Update(Func<FaultSettings, FaultSettings> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        Set(change(Current));
    }

    /// <summary>A uniform sample in [0, 1) from the seeded source.</summary>
    public double NextDouble()
    {
        lock (_randomLock)
        {
            return _random.NextDouble();
        }
    }

    /// <summary>Whether an event of probability <paramref name="rate"/> happens.</summary>
    public bool Chance(double rate) => rate > 0 && NextDouble() < rate;

    /// <summary>Whether the named resource (by name or id) is configured to fail.</summary>
    public bool IsForcedToFail(string id, string name) =>
        Current.FailingResources.Any(f => f.Equals(name, StringComparison.OrdinalIgnoreCase) || f.Equals(id, StringComparison.OrdinalIgnoreCase));
}
