using Microsoft.DurableTask;

namespace Provisioning.Host.Samples;

/// <summary>The sample orchestration of the engine demo: three activities in sequence, their results as output.</summary>
public sealed class HelloSequence : TaskOrchestrator<HelloSequenceInput?, IReadOnlyList<string>>
{
    /// <inheritdoc />
    public override async Task<IReadOnlyList<string>> RunAsync(TaskOrchestrationContext context, HelloSequenceInput? input)
    {
        ArgumentNullException.ThrowIfNull(context);
        var cities = input?.Cities is { Count: > 0 } given ? given : ["Tokyo", "Seattle", "London"];
        var greetings = new List<string>();
        foreach (var city in cities)
        {
            context.SetCustomStatus(new { phase = "greeting", city, done = greetings.Count, of = cities.Count });
            greetings.Add(await context.CallActivityAsync<string>(nameof(SayHello), city));
        }

        return greetings;
    }
}

/// <summary>The sample's input.</summary>
/// <param name="Cities">The cities to greet; empty for the default three.</param>
public sealed record HelloSequenceInput(IReadOnlyList<string>? Cities);
