namespace Provisioning.Durable.Embedded.Execution;

/// <summary>
/// The orchestration's code, replayed over its history, asked for something other than what the history records
/// at the same step: the code changed while the instance was running, or it used a non-deterministic source
/// (wall-clock time, random numbers, I/O) outside the context. The instance fails with this error.
/// </summary>
public sealed class NonDeterministicOrchestrationException : Exception
{
    /// <summary>Creates the exception with a description of expected and actual actions.</summary>
    public NonDeterministicOrchestrationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public NonDeterministicOrchestrationException()
        : this("The orchestration replayed differently from its history.")
    {
    }

    /// <summary>Creates the exception.</summary>
    public NonDeterministicOrchestrationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
