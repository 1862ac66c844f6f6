using Provisioning.Durable;

namespace Provisioning.Durable.Embedded.CrashHost;

/// <summary>The orchestrations the crash tests kill and resume.</summary>
public static class CrashFlows
{
    /// <summary>How long each slow activity works: long enough for the test to kill the process inside it.</summary>
    public static readonly TimeSpan WorkDuration = TimeSpan.FromSeconds(1.5);

    /// <summary>How long the timer flow's durable timer waits.</summary>
    public static readonly TimeSpan TimerDelay = TimeSpan.FromSeconds(5);

    public const string ActivityFlow = nameof(ActivityFlow);

    public const string TimerFlow = nameof(TimerFlow);

    public static void Register(OrchestrationRegistry registry, SideEffectLog log)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry
            .AddOrchestratorFunc<int, int>(ActivityFlow, async (context, input) =>
            {
                var total = 0;
                for (var step = 0; step < 3; step++)
                {
                    total += await context.CallActivityAsync<int>("SlowWork", input * 10 + step);
                }

                return total;
            })
            .AddOrchestratorFunc<int, string>(TimerFlow, async (context, input) =>
            {
                var before = await context.CallActivityAsync<int>("Mark", input);
                await context.CreateTimer(TimerDelay, CancellationToken.None);
                var after = await context.CallActivityAsync<int>("Mark", input + 100);
                return $"{before}+{after}";
            })
            .AddActivityFunc<int, int>("SlowWork", async (activity, value) =>
            {
                log.Append($"{activity.InstanceId}:{activity.TaskId}:start");
                await Task.Delay(WorkDuration, activity.CancellationToken);
                log.Append($"{activity.InstanceId}:{activity.TaskId}:end");
                return value;
            })
            .AddActivityFunc<int, int>("Mark", (activity, value) =>
            {
                log.Append($"{activity.InstanceId}:{activity.TaskId}:start");
                log.Append($"{activity.InstanceId}:{activity.TaskId}:end");
                return Task.FromResult(value);
            });
    }
}
