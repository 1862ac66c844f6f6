using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Provisioning.Durable.Parity.Tests;

public abstract partial class OrchestrationPatternTests
{
    // The official host runs at most Environment.ProcessorCount activities at once and polls every 500 ms when
    // saturated, so width costs about width / cores / 2 seconds there (50 took 12.5 s on 2 cores).
    private const int FanOutWidth = 10;

    [Fact]
    public async Task Sequence_of_three_activities_returns_their_outputs_in_order()
    {
        await using var host = await StartAsync(r => r.AddOrchestrator<GreetCities>().AddActivity<Greet>());

        var done = await RunAsync(host, nameof(GreetCities), "dear");

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(
            ["Hello, dear Tokyo!", "Hello, dear Seattle!", "Hello, dear London!"],
            done.ReadOutputAs<List<string>>());
        Assert.Equal("\"dear\"", done.SerializedInput);
        Assert.Null(done.FailureDetails);
    }

    [Fact]
    public async Task Fan_out_fan_in_runs_every_activity_and_sums_the_results()
    {
        var calls = new Counter();
        await using var host = await StartAsync(r => r
            .AddActivityFunc<int, int>("Square", (_, n) =>
            {
                calls.Increment();
                return n * n;
            })
            .AddOrchestratorFunc<int, int>("SumOfSquares", async (ctx, count) =>
            {
                var squares = Enumerable.Range(1, count).Select(n => ctx.CallActivityAsync<int>("Square", n));
                return (await Task.WhenAll(squares)).Sum();
            }));

        var done = await RunAsync(host, "SumOfSquares", FanOutWidth);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(Enumerable.Range(1, FanOutWidth).Sum(n => n * n), done.ReadOutputAs<int>());
        Assert.Equal(FanOutWidth, calls.Value);
    }
}
