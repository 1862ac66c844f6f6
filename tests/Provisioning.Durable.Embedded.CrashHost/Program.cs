// The crash-recovery host. Usage: CrashHost <database> <side-effect folder> <schedule|resume> <instance count>
// "schedule" starts the instances and keeps running until it is killed; "resume" runs until every instance has
// finished and then exits 0. Activities append to <folder>/work.log so the test can count executions.
using Microsoft.DurableTask;
using Provisioning.Durable.Embedded;
using Provisioning.Durable.Embedded.CrashHost;

if (args.Length != 4)
{
    Console.Error.WriteLine("usage: CrashHost <database> <side-effect folder> <schedule|resume> <instance count>");
    return 2;
}

var (database, folder, mode, count) = (args[0], args[1], args[2], int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture));
var log = new SideEffectLog(Path.Combine(folder, "work.log"));
await using var host = await EmbeddedEngineHost.StartAsync(
    registry => CrashFlows.Register(registry, log),
    database,
    configureOptions: options =>
    {
        options.LeaseDuration = TimeSpan.FromSeconds(2);
        options.PollInterval = TimeSpan.FromMilliseconds(100);
    });

var ids = Enumerable.Range(0, count).SelectMany(i => new[] { $"activity-{i}", $"timer-{i}" }).ToList();
if (mode == "schedule")
{
    for (var i = 0; i < count; i++)
    {
        await host.Client.ScheduleNewOrchestrationInstanceAsync(CrashFlows.ActivityFlow, i, new StartOrchestrationOptions { InstanceId = $"activity-{i}" });
        await host.Client.ScheduleNewOrchestrationInstanceAsync(CrashFlows.TimerFlow, i, new StartOrchestrationOptions { InstanceId = $"timer-{i}" });
    }

    Console.WriteLine("scheduled");
    await Task.Delay(Timeout.Infinite);
}

foreach (var id in ids)
{
    var done = await host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true);
    Console.WriteLine($"{id} {done.RuntimeStatus} {done.SerializedOutput}");
}

return 0;
