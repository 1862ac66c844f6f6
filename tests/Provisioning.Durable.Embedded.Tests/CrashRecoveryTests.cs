using System.Diagnostics;
using System.Text;
using DurableTask.Core.History;
using Microsoft.DurableTask.Client;
using Provisioning.Durable.Embedded.CrashHost;

namespace Provisioning.Durable.Embedded.Tests;

/// <summary>
/// The engine runs in a child process (tests/Provisioning.Durable.Embedded.CrashHost), is killed while activities
/// and durable timers are in flight, and is started again on the same database.
/// </summary>
public sealed class CrashRecoveryTests
{
    private const int InstancePairs = 3;

    [Fact]
    public async Task Instances_killed_mid_activity_and_mid_timer_complete_exactly_once_after_restart()
    {
        using var database = new TempDatabase();
        var log = new SideEffectLog(Path.Combine(database.Folder, "work.log"));

        // 1. Start the instances and kill the process while the second activity of every activity flow runs.
        HashSet<string> interrupted;
        using (var child = ChildProcess.Start(database, "schedule"))
        {
            await Eventually(() => Enumerable.Range(0, InstancePairs).All(i => log.ReadLines().Contains($"activity-{i}:1:start")), child);
            child.Kill();
            interrupted = StartedButNotEnded(log.ReadLines());
        }

        // What the dead process left: activities cut off mid-way and durable timers not yet fired.
        Assert.NotEmpty(interrupted);
        DateTimeOffset latestFireAt;
        await using (var inspector = await Inspect(database))
        {
            var pendingTimers = new List<DateTimeOffset>();
            for (var i = 0; i < InstancePairs; i++)
            {
                var history = await inspector.Client.HistoryAsync($"timer-{i}");
                if (!history.Any(e => e is TimerFiredEvent))
                {
                    pendingTimers.AddRange(history.OfType<TimerCreatedEvent>().Select(e => new DateTimeOffset(DateTime.SpecifyKind(e.FireAt, DateTimeKind.Utc))));
                }
            }

            Assert.NotEmpty(pendingTimers);
            latestFireAt = pendingTimers.Max();
        }

        // 2. Let the timers come due while no process runs, then restart on the same database.
        while (DateTimeOffset.UtcNow <= latestFireAt)
        {
            await Task.Delay(100);
        }

        using (var child = ChildProcess.Start(database, "resume"))
        {
            Assert.True(await child.ExitedAsync(EngineTestSupport.Patience), $"the resumed host did not finish: {child.Output}");
            Assert.True(child.ExitCode == 0, $"the resumed host failed: {child.Output}");
        }

        // 3. Every instance completed once with the right output; every activity ran at least once, the interrupted
        //    ones twice, and history holds exactly one outcome per task.
        await using var final = await Inspect(database);
        for (var i = 0; i < InstancePairs; i++)
        {
            var activityFlow = (await final.Client.GetInstanceAsync($"activity-{i}", getInputsAndOutputs: true))!;
            Assert.Equal(OrchestrationRuntimeStatus.Completed, activityFlow.RuntimeStatus);
            Assert.Equal((i * 10 * 3) + 3, activityFlow.ReadOutputAs<int>());
            AssertExactlyOnce(await final.Client.HistoryAsync($"activity-{i}"), expectedTasks: 3);

            var timerFlow = (await final.Client.GetInstanceAsync($"timer-{i}", getInputsAndOutputs: true))!;
            Assert.Equal(OrchestrationRuntimeStatus.Completed, timerFlow.RuntimeStatus);
            Assert.Equal($"{i}+{i + 100}", timerFlow.ReadOutputAs<string>());
            AssertExactlyOnce(await final.Client.HistoryAsync($"timer-{i}"), expectedTasks: 3);
        }

        var lines = log.ReadLines();
        foreach (var key in lines.Select(line => line[..line.LastIndexOf(':')]).Distinct())
        {
            Assert.Contains($"{key}:end", lines);
        }

        foreach (var key in interrupted)
        {
            Assert.True(lines.Count(line => line == $"{key}:start") >= 2, $"{key} was interrupted but did not run again");
        }
    }

    private static void AssertExactlyOnce(IList<HistoryEvent> history, int expectedTasks)
    {
        Assert.Single(history, e => e is ExecutionStartedEvent);
        Assert.Single(history, e => e is ExecutionCompletedEvent);
        var scheduled = history.Where(e => e is TaskScheduledEvent or TimerCreatedEvent).Select(e => e.TaskId()!.Value).ToList();
        Assert.Equal(expectedTasks, scheduled.Count);
        Assert.Equal(scheduled.Count, scheduled.Distinct().Count());
        foreach (var taskId in scheduled)
        {
            Assert.Single(history, e => e is TaskCompletedEvent or TimerFiredEvent && e.TaskId() == taskId);
        }
    }

    private static HashSet<string> StartedButNotEnded(IReadOnlyList<string> lines)
    {
        var started = lines.Where(l => l.EndsWith(":start", StringComparison.Ordinal)).Select(l => l[..^":start".Length]).ToHashSet();
        started.ExceptWith(lines.Where(l => l.EndsWith(":end", StringComparison.Ordinal)).Select(l => l[..^":end".Length]));
        return started;
    }

    private static Task<EmbeddedEngineHost> Inspect(TempDatabase database)
        => EmbeddedEngineHost.StartAsync(_ => { }, database.DatabasePath, startDispatchers: false);

    private static async Task Eventually(Func<bool> condition, ChildProcess child)
    {
        using var timeout = new CancellationTokenSource(EngineTestSupport.Patience);
        while (!condition())
        {
            Assert.False(child.HasExited, $"the host exited early: {child.Output}");
            await Task.Delay(20, timeout.Token);
        }
    }

    private sealed class ChildProcess : IDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _output = new();

        private ChildProcess(Process process)
        {
            _process = process;
        }

        public string Output
        {
            get
            {
                lock (_output)
                {
                    return _output.ToString();
                }
            }
        }

        public bool HasExited => _process.HasExited;

        public int ExitCode => _process.ExitCode;

        public static ChildProcess Start(TempDatabase database, string mode)
        {
            var host = Path.Combine(AppContext.BaseDirectory, "Provisioning.Durable.Embedded.CrashHost.dll");
            var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in new[] { host, database.DatabasePath, database.Folder, mode, InstancePairs.ToString(System.Globalization.CultureInfo.InvariantCulture) })
            {
                start.ArgumentList.Add(argument);
            }

            var process = new Process { StartInfo = start };
            var child = new ChildProcess(process);
            process.OutputDataReceived += (_, e) => child.Append(e.Data);
            process.ErrorDataReceived += (_, e) => child.Append(e.Data);
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return child;
        }

        public void Kill()
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        public async Task<bool> ExitedAsync(TimeSpan patience)
        {
            using var timeout = new CancellationTokenSource(patience);
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
                return true;
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }

            _process.Dispose();
        }

        private void Append(string? line)
        {
            if (line is not null)
            {
                lock (_output)
                {
                    _output.AppendLine(line);
                }
            }
        }
    }
}
