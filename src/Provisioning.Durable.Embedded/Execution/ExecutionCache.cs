using System.Collections.Concurrent;

namespace Provisioning.Durable.Embedded.Execution;

/// <summary>
/// Live executions of the instances this process has run, so the next episode continues where the last one stopped
/// instead of replaying the whole history. An entry is used only if its history count matches the store's, which
/// proves no other process changed the instance meanwhile. Bounded: when full it is cleared and replay rebuilds.
/// </summary>
internal sealed class ExecutionCache(int capacity)
{
    private readonly ConcurrentDictionary<string, OrchestrationExecution> _executions = new(StringComparer.Ordinal);

    public bool TryTake(string instanceId, string executionId, int historyCount, out OrchestrationExecution? execution)
    {
        if (_executions.TryRemove(instanceId, out execution) && execution.ExecutionId == executionId && execution.HistoryCount == historyCount)
        {
            return true;
        }

        execution = null;
        return false;
    }

    /// <summary>
    /// Takes the execution of <paramref name="instanceId"/> if it is generation <paramref name="executionId"/>, has
    /// its state and waits only for task <paramref name="taskId"/>; otherwise leaves the cache as it was.
    /// </summary>
    public bool TryTakeWaitingFor(string instanceId, string executionId, int taskId, out OrchestrationExecution? execution)
    {
        // Looked at in place: taking it out just to look would make a concurrent episode of the instance replay.
        if (_executions.TryGetValue(instanceId, out execution)
            && execution.ExecutionId == executionId && execution.State is not null && execution.SoleWait == taskId
            && _executions.TryRemove(KeyValuePair.Create(instanceId, execution)))
        {
            return true;
        }

        execution = null;
        return false;
    }

    public void Put(string instanceId, OrchestrationExecution execution)
    {
        if (capacity <= 0)
        {
            return;
        }

        if (_executions.Count >= capacity)
        {
            _executions.Clear();
        }

        _executions[instanceId] = execution;
    }
}
