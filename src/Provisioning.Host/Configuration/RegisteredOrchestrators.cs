namespace Provisioning.Host.Configuration;

/// <summary>
/// The orchestrator names this host's worker runs. A Durable Task client does not know them (it may talk to a
/// sidecar), so the start API checks a name here and refuses an unknown one with 400 instead of starting an
/// instance that can only fail.
/// </summary>
/// <param name="names">The names.</param>
public sealed class RegisteredOrchestrators(IEnumerable<string> names)
{
    private readonly HashSet<string> _names = new(names, StringComparer.Ordinal);

    /// <summary>The names, sorted.</summary>
    public IReadOnlyList<string> Names => [.. _names.Order(StringComparer.Ordinal)];

    /// <summary>True when <paramref name="name"/> is registered.</summary>
    public bool Contains(string name) => _names.Contains(name);
}
