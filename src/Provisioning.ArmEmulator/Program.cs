using System.Globalization;
using Provisioning.ArmEmulator;

// Usage: Provisioning.ArmEmulator [--port 5443] [--data <folder>] [--in-memory]
var port = 5443;
string? data = null;
var persist = true;
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--port" && i + 1 < args.Length)
    {
        port = int.Parse(args[++i], CultureInfo.InvariantCulture);
    }
    else if (args[i] == "--data" && i + 1 < args.Length)
    {
        data = args[++i];
    }
    else if (args[i] == "--in-memory")
    {
        persist = false;
    }
}

data ??= Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "provisioning-arm-emulator");
await using var server = await ArmEmulatorServer.StartAsync(new ArmEmulatorOptions { Port = port, DataDirectory = data, PersistState = persist, LogRequests = true });
Console.WriteLine(server.BaseUri);
Console.WriteLine($"subscription {server.SubscriptionId}  tenant {server.TenantId}");
Console.WriteLine($"token: {server.DevelopmentToken}  (kept in {server.TokenPath})");
Console.WriteLine($"certificate: {server.CertificatePath} (thumbprint {server.Certificate.Thumbprint}; also {server.BaseUri}_emulator/certificate)");
Console.WriteLine(server.StateDirectory is { } state ? $"state: {state}  endpoint file: {Path.Combine(server.DataDirectory, "arm-emulator.json")}" : "state: in memory only (--in-memory)");
using var stop = CancellationTokenSource.CreateLinkedTokenSource(server.Stopping);
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
try
{
    await Task.Delay(Timeout.Infinite, stop.Token);
}
catch (OperationCanceledException)
{
    // Ctrl+C.
}
