using Microsoft.DurableTask;
using Provisioning.Arm;
using Provisioning.Arm.Errors;

namespace Provisioning.Activities;

/// <summary>
/// Base of activities that call ARM. It turns a classified <see cref="ArmException"/> into the exception type the
/// orchestration's retry policies recognise (failure details keep only the type and message across the history).
/// </summary>
/// <typeparam name="TInput">The input.</typeparam>
/// <typeparam name="TOutput">The output.</typeparam>
public abstract class ArmActivity<TInput, TOutput>(ProvisioningArmClient arm) : TaskActivity<TInput, TOutput>
{
    /// <summary>The ARM client.</summary>
    protected ProvisioningArmClient Arm { get; } = arm;

    /// <inheritdoc />
    public sealed override async Task<TOutput> RunAsync(TaskActivityContext context, TInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            // The SDK gives activities no cancellation token (Durable Functions has none either): a call runs to its end,
            // bounded by the ARM pipeline's timeouts.
            return await ExecuteAsync(input, CancellationToken.None);
        }
        catch (ArmException error) when (error.Kind == ArmErrorKind.RetryLater)
        {
            throw new AzureNotReadyException(error.Code, error.Error.Message, error);
        }
        catch (ArmException error) when (error.Kind == ArmErrorKind.Transient)
        {
            throw new AzureTransientException(error.Code, error.Error.Message, error);
        }
    }

    /// <summary>The activity's ARM work.</summary>
    protected abstract Task<TOutput> ExecuteAsync(TInput input, CancellationToken cancellationToken);
}
