namespace Provisioning.Durable;

/// <summary>An orchestration with untyped input and output, as engines call it.</summary>
public interface IOrchestrator
{
    /// <summary>The type the input is deserialized to.</summary>
    Type InputType { get; }

    /// <summary>Runs the orchestration.</summary>
    Task<object?> RunAsync(OrchestrationContext context, object? input);
}

/// <summary>Base class of orchestrations with typed input and output.</summary>
/// <typeparam name="TInput">The input type.</typeparam>
/// <typeparam name="TOutput">The output type.</typeparam>
public abstract class Orchestrator<TInput, TOutput> : IOrchestrator
{
    /// <inheritdoc />
    public Type InputType => typeof(TInput);

    /// <summary>The orchestration's logic. Must be deterministic: see <see cref="OrchestrationContext"/>.</summary>
    public abstract Task<TOutput> RunAsync(OrchestrationContext context, TInput input);

    async Task<object?> IOrchestrator.RunAsync(OrchestrationContext context, object? input)
        => await RunAsync(context, (TInput)input!);
}
