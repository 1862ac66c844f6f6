using Microsoft.Extensions.Logging;

namespace Provisioning.Durable.Bench;

/// <summary>
/// Counts the engine's "instance finished" log events, so a workload knows when all its instances are done
/// without adding store reads of its own to the load it measures.
/// </summary>
public sealed class FinishedInstanceCounter : ILoggerProvider
{
    private const string EngineCategory = "Provisioning.Durable.Embedded";
    private const int InstanceFinishedEventId = 11;
    private int _finished;
    private int _target = int.MaxValue;
    private TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Expect(int count)
    {
        _finished = 0;
        _target = count;
        _reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return _reached.Task;
    }

    public ILogger CreateLogger(string categoryName) => new CategoryLogger(this, categoryName == EngineCategory);

    public void Dispose()
    {
    }

    private void Finished()
    {
        if (Interlocked.Increment(ref _finished) == _target)
        {
            _reached.TrySetResult();
        }
    }

    /// <summary>The engine's category counts event 11; warnings of any category go to stderr.</summary>
    private sealed class CategoryLogger(FinishedInstanceCounter counter, bool engine) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= (engine ? LogLevel.Information : LogLevel.Warning);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (engine && eventId.Id == InstanceFinishedEventId)
            {
                counter.Finished();
            }
            else if (logLevel >= LogLevel.Warning)
            {
                Console.Error.WriteLine(formatter(state, exception));
            }
        }
    }
}
