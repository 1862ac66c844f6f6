using System.Diagnostics;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Provisioning.Durable.Embedded.Diagnostics;

namespace Provisioning.Durable.Embedded.Tests;

public sealed class HostingTests
{
    [Fact]
    public async Task UseEmbedded_registers_a_client_and_a_worker_that_runs_DI_activities()
    {
        using var database = new TempDatabase();
        var services = new ServiceCollection();
        services.AddSingleton(new Greeting("Bonjour"));
        services.AddDurableTaskWorker(builder => builder
            .AddTasks(registry => registry
                .AddActivity<GreetActivity>()
                .AddOrchestratorFunc<string, string>("Greets", (context, name) => context.CallActivityAsync<string>(nameof(GreetActivity), name)))
            .UseEmbedded(options => options.DatabasePath = database.DatabasePath));
        services.AddDurableTaskClient(builder => builder.UseEmbedded());
        await using var provider = services.BuildServiceProvider();
        var hosted = provider.GetServices<IHostedService>().ToList();
        Assert.NotEmpty(hosted);
        foreach (var service in hosted)
        {
            await service.StartAsync(CancellationToken.None);
        }

        // One engine behind both: the client sees the store the worker's options named.
        var client = provider.GetRequiredService<DurableTaskClient>();
        Assert.Equal(Path.GetFullPath(database.DatabasePath), provider.GetRequiredService<EmbeddedEngine>().StoreLocation);
        var id = await client.ScheduleNewOrchestrationInstanceAsync("Greets", "Ada");
        Assert.Equal("Bonjour Ada", (await client.CompletionAsync(id)).ReadOutputAs<string>());

        foreach (var service in hosted)
        {
            await service.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Each_episode_and_activity_execution_emits_a_span()
    {
        var spans = new List<string>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == EngineTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<System.Diagnostics.ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = activity =>
            {
                if (activity.GetTagItem("durable.instance_id") as string == "traced")
                {
                    lock (spans)
                    {
                        spans.Add(activity.DisplayName);
                    }
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        await using (var host = await EngineTestSupport.StartAsync(r => r.AddHello(), null, EngineTestSupport.NewClock()))
        {
            await host.Client.CompletionAsync(await host.Client.ScheduleNewOrchestrationInstanceAsync("HelloSequence", "x", new StartOrchestrationOptions { InstanceId = "traced" }));
        }

        // The last spans end just after the commits that the client sees; stopping the host drains them.
        lock (spans)
        {
            Assert.Equal(3, spans.Count(s => s == "activity SayHello"));
            Assert.Equal(4, spans.Count(s => s == "orchestration HelloSequence"));
        }
    }

    public sealed record Greeting(string Word);

    public sealed class GreetActivity(Greeting greeting) : TaskActivity<string, string>
    {
        public override Task<string> RunAsync(TaskActivityContext context, string input) => Task.FromResult($"{greeting.Word} {input}");
    }
}
