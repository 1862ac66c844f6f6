using System.Diagnostics;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Provisioning.Durable.Parity.Tests;

public abstract partial class OrchestrationPatternTests
{
    [Fact]
    public async Task Durable_timer_fires_and_CurrentUtcDateTime_moves_past_it()
    {
        var delay = TimeSpan.FromSeconds(1);
        await using var host = await StartAsync(r => r
            .AddOrchestratorFunc<DateTime[]>("Sleeper", async ctx =>
            {
                var before = ctx.CurrentUtcDateTime;
                await ctx.CreateTimer(delay, CancellationToken.None);
                return [before, ctx.CurrentUtcDateTime];
            }));

        var clock = Stopwatch.StartNew();
        var done = await RunAsync(host, "Sleeper");
        clock.Stop();

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        var times = done.ReadOutputAs<DateTime[]>()!;
        Assert.All(times, t => Assert.Equal(DateTimeKind.Utc, t.Kind));
        Assert.True(times[1] - times[0] >= delay, $"orchestration time advanced only {times[1] - times[0]}");
        Assert.True(times[1] - times[0] < TimeSpan.FromSeconds(30), $"orchestration time advanced {times[1] - times[0]}");
        Assert.True(clock.Elapsed >= delay - TimeSpan.FromMilliseconds(50), $"completed after {clock.Elapsed}");
    }
}
