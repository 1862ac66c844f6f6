using Microsoft.DurableTask;

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

    /// <summary>
    /// Registers the flows. Each activity logs <c>instance:call:start</c> and <c>instance:call:end</c>, where the call
    /// key identifies the call within its instance; the SDK's activity context has no task id, so the key comes from
    /// the input: <c>SlowWork</c> gets <c>instance * 10 + step</c> and its key is the step (which is also the call's
    /// task id, as the activity flow schedules nothing else); <c>Mark</c> is keyed by its input.
    /// </summary>
    public static void Register(DurableTaskRegistry registry, SideEffectLog log)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(log);
        registry
            .AddOrchestratorFunc<int, int>(ActivityFlow, async (context, input) =>
            {
                var total = 0;
                for (var step = 0; step < 3; step++)
                {
                    total += await context.CallActivityAsync<int>("SlowWork", (input * 10) + step);
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
                var key = $"{activity.InstanceId}:{value % 10}";
                log.Append($"{key}:start");
                await Task.Delay(WorkDuration);
                log.Append($"{key}:end");
                return value;
            })
            .AddActivityFunc<int, int>("Mark", (activity, value) =>
            {
                var key = $"{activity.InstanceId}:mark{value}";
                log.Append($"{key}:start");
                log.Append($"{key}:end");
                return value;
            });
    }
}
