using System.Globalization;

namespace Provisioning.Soak;

/// <summary>
/// The command line: <c>--runs N</c> (200), <c>--kills N</c> (20), <c>--fail-share F</c> (0.1, workloads whose container
/// group the emulator fails), <c>--seed N</c> (16: which workloads fail and when the host dies), <c>--up-min S</c> /
/// <c>--up-max S</c> (0.5 / 9: seconds a host lives before it is killed, uniform), <c>--start-window S</c> (100: seconds over
/// which the runs are started), <c>--drain-timeout S</c> (480: how long to wait for every run to end after the last
/// restart), <c>--keep</c> (leave the work folder: logs, stores, emulator state), <c>--host-subscribes</c> (the host
/// subscribes its webhook to the emulator at every start, as the sandbox does, instead of the soak creating the Event Grid
/// subscription once, as in Azure).
/// </summary>
internal sealed record SoakOptions(
    int Runs, int Kills, double FailShare, int Seed, double UpMinSeconds, double UpMaxSeconds, double StartWindowSeconds, double DrainTimeoutSeconds, bool Keep, bool HostSubscribes)
{
    public static SoakOptions Parse(string[] args)
    {
        var options = new SoakOptions(200, 20, 0.1, 16, 0.5, 9, 100, 480, Keep: false, HostSubscribes: false);
        for (var i = 0; i < args.Length; i++)
        {
            options = args[i] switch
            {
                "--runs" => options with { Runs = int.Parse(args[++i], CultureInfo.InvariantCulture) },
                "--kills" => options with { Kills = int.Parse(args[++i], CultureInfo.InvariantCulture) },
                "--fail-share" => options with { FailShare = double.Parse(args[++i], CultureInfo.InvariantCulture) },
                "--seed" => options with { Seed = int.Parse(args[++i], CultureInfo.InvariantCulture) },
                "--up-min" => options with { UpMinSeconds = double.Parse(args[++i], CultureInfo.InvariantCulture) },
                "--up-max" => options with { UpMaxSeconds = double.Parse(args[++i], CultureInfo.InvariantCulture) },
                "--start-window" => options with { StartWindowSeconds = double.Parse(args[++i], CultureInfo.InvariantCulture) },
                "--drain-timeout" => options with { DrainTimeoutSeconds = double.Parse(args[++i], CultureInfo.InvariantCulture) },
                "--keep" => options with { Keep = true },
                "--host-subscribes" => options with { HostSubscribes = true },
                _ => throw new ArgumentException(
                    $"Unknown argument '{args[i]}'. Use --runs N, --kills N, --fail-share F, --seed N, --up-min S, --up-max S, --start-window S, --drain-timeout S, --keep, --host-subscribes."),
            };
        }

        return options;
    }
}
