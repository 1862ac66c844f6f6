namespace Provisioning.Durable.Embedded.CrashHost;

/// <summary>An append-only file of activity executions: the observable side effect the tests count.</summary>
public sealed class SideEffectLog(string path)
{
    private readonly Lock _gate = new();

    public string Path => path;

    public void Append(string line)
    {
        lock (_gate)
        {
            // Flushed and closed per line so a killed process leaves every line it wrote.
            File.AppendAllText(path, line + Environment.NewLine);
        }
    }

    public IReadOnlyList<string> ReadLines() => File.Exists(path) ? File.ReadAllLines(path) : [];
}
