using Microsoft.Extensions.Logging;

namespace Provisioning.Durable.Bench;

/// <summary>
/// Counts the engine's "instance finished" log events, so a workload knows when all its instances are done
/// without adding store reads of its own to the load it measures.
/// </summary>
public sealed class FinishedInstanceCounter : ILoggerProvider, ILogger
{
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

    public ILogger CreateLogger(string categoryName) => this;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (eventId.Id == InstanceFinishedEventId && Interlocked.Increment(ref _finished) == _target)
        {
            _reached.TrySetResult();
        }
        else if (logLevel >= LogLevel.Warning)
        {
            Console.Error.WriteLine(formatter(state, exception));
        }
    }

    public void Dispose()
    {
    }
}
