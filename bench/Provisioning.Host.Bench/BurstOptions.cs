using System.Globalization;

namespace Provisioning.Host.Bench;

/// <summary>
/// The command line: <c>--events N</c> (1000), <c>--duplicates 0.2</c>, <c>--concurrency N</c> (32 senders),
/// <c>--read-group</c> (the rule names no location, so each new run reads its resource group from ARM), and
/// <c>--engine-concurrency N</c> (the engine's orchestration and activity concurrency while the burst lands; default 16, as the host)
/// and <c>--settle-delay S</c> (seconds an event-started run waits before it starts; default 5, as the host).
/// </summary>
internal sealed record BurstOptions(int Events, double DuplicateShare, int Concurrency, bool ReadGroup, int EngineConcurrency, TimeSpan SettleDelay)
{
    public string Rules => $"""
        rules:
          - name: redeploy-web
            on: ImagePushed
            registry: sandboxacr
            repository: hello/web
            template: web
            resourceGroup: rg-sandbox
        {(ReadGroup ? string.Empty : "    location: westeurope\n")}    parameters:
              registryName: sandboxacr
        """;

    public static BurstOptions Parse(string[] args)
    {
        var events = 1000;
        var duplicates = 0.2;
        var concurrency = 32;
        var readGroup = false;
        var engine = 16;
        var settle = TimeSpan.FromSeconds(5);
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--events":
                    events = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--duplicates":
                    duplicates = double.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--concurrency":
                    concurrency = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--read-group":
                    readGroup = true;
                    break;
                case "--engine-concurrency":
                    engine = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--settle-delay":
                    settle = TimeSpan.FromSeconds(double.Parse(args[++i], CultureInfo.InvariantCulture));
                    break;
                default:
                    throw new ArgumentException($"Unknown argument '{args[i]}'. Use --events N, --duplicates 0.2, --concurrency N, --read-group, --engine-concurrency N, --settle-delay S.");
            }
        }

        return new BurstOptions(events, duplicates, concurrency, readGroup, engine, settle);
    }
}
