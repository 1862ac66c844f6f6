namespace Provisioning.Durable;

/// <summary>An activity with untyped input and output, as engines call it.</summary>
public interface IActivity
{
    /// <summary>The type the input is deserialized to.</summary>
    Type InputType { get; }

    /// <summary>Runs the activity.</summary>
    Task<object?> RunAsync(ActivityContext context, object? input);
}

/// <summary>
/// Base class of activities with typed input and output. Activities do the I/O; they run at least once, so they
/// must be idempotent.
/// </summary>
/// <typeparam name="TInput">The input type.</typeparam>
/// <typeparam name="TOutput">The output type.</typeparam>
public abstract class Activity<TInput, TOutput> : IActivity
{
    /// <inheritdoc />
    public Type InputType => typeof(TInput);

    /// <summary>The activity's work.</summary>
    public abstract Task<TOutput> RunAsync(ActivityContext context, TInput input);

    async Task<object?> IActivity.RunAsync(ActivityContext context, object? input)
    {
        ArgumentNullException.ThrowIfNull(context);
        return await RunAsync(context, (TInput)input!);
    }
}
