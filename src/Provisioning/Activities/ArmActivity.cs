using Provisioning.Arm;
using Provisioning.Arm.Errors;
using Provisioning.Durable;

namespace Provisioning.Activities;

/// <summary>
/// Base of activities that call ARM. It turns a classified <see cref="ArmException"/> into the exception type the
/// orchestration's retry policies recognise (failure details keep only the type and message across the history).
/// </summary>
/// <typeparam name="TInput">The input.</typeparam>
/// <typeparam name="TOutput">The output.</typeparam>
public abstract class ArmActivity<TInput, TOutput>(ProvisioningArmClient arm) : Activity<TInput, TOutput>
{
    /// <summary>The ARM client.</summary>
    protected ProvisioningArmClient Arm { get; } = arm;

    /// <inheritdoc />
    public sealed override async Task<TOutput> RunAsync(ActivityContext context, TInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            return await ExecuteAsync(input, context.CancellationToken);
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
