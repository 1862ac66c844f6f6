namespace Provisioning.Durable.Client;

/// <summary>Where an orchestration instance is in its life. Names and meanings follow Durable Functions.</summary>
public enum OrchestrationRuntimeStatus
{
    /// <summary>Scheduled, not yet started by a worker.</summary>
    Pending,

    /// <summary>Started and not finished.</summary>
    Running,

    /// <summary>Finished with an output.</summary>
    Completed,

    /// <summary>Restarted itself with new input; the next generation is about to run.</summary>
    ContinuedAsNew,

    /// <summary>Finished with an unhandled failure.</summary>
    Failed,

    /// <summary>Stopped by a client before it finished; its code did not run to the end.</summary>
    Terminated,

    /// <summary>Paused by a client; events are kept until it resumes.</summary>
    Suspended,
}
