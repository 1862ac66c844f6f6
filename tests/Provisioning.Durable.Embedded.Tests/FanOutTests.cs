namespace Provisioning.Durable.Embedded.Tests;

public sealed class FanOutTests
{
    [Fact]
    public async Task A_thousand_parallel_activities_fan_in_to_one_result()
    {
        using var database = new TempDatabase();
        var counter = new ExecutionCounter();
        await using var host = await EngineTestSupport.StartAsync(
            registry => registry
                .AddActivityFunc<int, int>("Square", (_, value) =>
                {
                    counter.Increment($"square{value}");
                    return value * value;
                })
                .AddOrchestratorFunc<int, long>("SumOfSquares", async (context, count) =>
                {
                    var tasks = Enumerable.Range(1, count).Select(i => context.CallActivityAsync<int>("Square", i)).ToList();
                    var results = await Task.WhenAll(tasks);
                    return results.Sum(r => (long)r);
                }),
            database,
            EngineTestSupport.NewClock());

        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("SumOfSquares", 1000);
        var done = await host.Client.CompletionAsync(id);

        Assert.Equal(1000L * 1001 * 2001 / 6, done.ReadOutputAs<long>());
        Assert.All(Enumerable.Range(1, 1000), i => Assert.Equal(1, counter[$"square{i}"]));
    }

    [Fact]
    public async Task WhenAny_takes_the_first_of_an_activity_and_a_timer()
    {
        using var database = new TempDatabase();
        var clock = EngineTestSupport.NewClock();
        await using var host = await EngineTestSupport.StartAsync(
            registry => registry
                .AddActivityFunc<int, int>("Quick", (_, value) => value)
                .AddOrchestratorFunc<int, string>("Race", async (context, value) =>
                {
                    using var cancel = new CancellationTokenSource();
                    var work = context.CallActivityAsync<int>("Quick", value);
                    var deadline = context.CreateTimer(TimeSpan.FromDays(1), cancel.Token);
                    var winner = await Task.WhenAny(work, deadline);
                    await cancel.CancelAsync();
                    return winner == work ? $"work {await work}" : "deadline";
                }),
            database,
            clock);

        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Race", 3);
        Assert.Equal("work 3", (await host.Client.CompletionAsync(id)).ReadOutputAs<string>());
    }
}
