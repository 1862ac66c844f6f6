using System.Globalization;
using Provisioning.ArmEmulator;

var port = 5443;
string? data = null;
for (var i = 0; i < args.Length - 1; i++)
{
    if (args[i] == "--port")
    {
        port = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
    }
    else if (args[i] == "--data")
    {
        data = args[i + 1];
    }
}

await using var server = await ArmEmulatorServer.StartAsync(new ArmEmulatorOptions { Port = port, DataDirectory = data, LogRequests = true });
Console.WriteLine(server.BaseUri);
Console.WriteLine($"subscription {server.SubscriptionId}  tenant {server.TenantId}");
Console.WriteLine($"token: {server.DevelopmentToken}");
Console.WriteLine($"certificate: {server.BaseUri}_emulator/certificate (thumbprint {server.Certificate.Thumbprint})");
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
