using System.Collections.Concurrent;
using Microsoft.DurableTask;

namespace Provisioning.Durable.Embedded.Tests;

/// <summary>Orchestrations and activities the tests share.</summary>
public static class TestFlows
{
    public static DurableTaskRegistry AddHello(this DurableTaskRegistry registry) => registry
        .AddActivityFunc<string, string>("SayHello", (_, name) => $"Hello {name}")
        .AddOrchestratorFunc<string, string[]>("HelloSequence", async (context, name) =>
        {
            var results = new List<string>();
            foreach (var city in new[] { "Tokyo", "Seattle", name })
            {
                results.Add(await context.CallActivityAsync<string>("SayHello", city));
            }

            return [.. results];
        });
}

/// <summary>Counts activity executions by key, to prove what ran how often.</summary>
public sealed class ExecutionCounter
{
    private readonly ConcurrentDictionary<string, int> _counts = new();

    public int Increment(string key) => _counts.AddOrUpdate(key, 1, (_, count) => count + 1);

    public int this[string key] => _counts.TryGetValue(key, out var count) ? count : 0;
}
