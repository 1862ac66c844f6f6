using Microsoft.DurableTask;

namespace Provisioning.Durable.Parity.Tests;

/// <summary>Class-based tasks, so the suite covers type registration as well as functions.</summary>
public sealed class GreetCities : TaskOrchestrator<string, List<string>>
{
    public override async Task<List<string>> RunAsync(TaskOrchestrationContext context, string input)
    {
        var greetings = new List<string>();
        foreach (var city in new[] { "Tokyo", "Seattle", "London" })
        {
            greetings.Add(await context.CallActivityAsync<string>(nameof(Greet), $"{input} {city}"));
        }

        return greetings;
    }
}

public sealed class Greet : TaskActivity<string, string>
{
    public override Task<string> RunAsync(TaskActivityContext context, string input) =>
        Task.FromResult($"Hello, {input}!");
}
