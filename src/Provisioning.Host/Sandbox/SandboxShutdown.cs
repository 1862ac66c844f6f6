namespace Provisioning.Host.Sandbox;

/// <summary>
/// Stops the in-host emulator when the host stops. Registered before the durable worker, it stops after it (hosted
/// services stop in reverse order), so no activity is left calling a stopped emulator. Stopping writes nothing: the
/// emulator saved every change when it was made, so a killed host leaves the same state as a stopped one. An external
/// emulator is left running.
/// </summary>
internal sealed class SandboxShutdown(SandboxEnvironment sandbox) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken) => await sandbox.DisposeAsync();
}
