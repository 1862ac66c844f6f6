using System.Globalization;

namespace Provisioning.Host.Bench;

/// <summary>Parses the command line: <c>--events N --duplicates 0.2 --concurrency N --read-group</c>.</summary>
internal sealed record BurstOptions(int Events, double DuplicateShare, int Concurrency, bool ReadGroup)
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
                default:
                    throw new ArgumentException($"Unknown argument '{args[i]}'. Use --events N, --duplicates 0.2, --concurrency N, --read-group.");
            }
        }

        return new BurstOptions(events, duplicates, concurrency, readGroup);
    }
}
