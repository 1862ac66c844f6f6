namespace Provisioning.Host.Tests;

/// <summary>One real host per test class: tests in a class use distinct instance ids, so they need not pay for a host each.</summary>
public class HostFixture : IAsyncLifetime
{
    private readonly string[] _settings;

    public HostFixture()
        : this([])
    {
    }

    protected HostFixture(string[] settings) => _settings = settings;

    internal LoopbackHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await LoopbackHost.StartAsync(null, _settings);

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        Host.DeleteData();
    }
}

/// <summary>A host whose sandbox and timings are short enough for a provisioning run to finish in seconds.</summary>
public sealed class QuickSandboxFixture() : HostFixture(
[
    "--Provisioning:Sandbox:GrantPropagationDelay", "00:00:01",
    "--Provisioning:Timings:ReadinessFirstInterval", "00:00:00.5",
    "--Provisioning:Timings:OperationPollInterval", "00:00:00.2",
    "--Provisioning:RulesPath", LoopbackHost.RulesPath,
]);
