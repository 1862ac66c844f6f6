using System.Diagnostics;

namespace Provisioning.Soak;

/// <summary>
/// Runs the self-hosted host as a child process on one data folder and port, kills it with SIGKILL at random points
/// (a random lifetime after each start, so some kills land while it recovers, others mid-run) and starts it again each
/// time. A host that exits by itself (e.g. its start met an injected ARM fault) is started again and counted.
/// </summary>
internal sealed class HostSupervisor(Func<int, ChildProcess> start, HostClient client, Random random, SoakOptions options) : IDisposable
{
    private ChildProcess? _current;
    private int _starts;

    public int Kills { get; private set; }

    public int SelfExits { get; private set; }

    public int Starts => _starts;

    /// <summary>Seconds from each kill until the next host answered its status route.</summary>
    public List<double> RecoverySeconds { get; } = [];

    /// <summary>Starts the host and waits until it answers.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _current = start(++_starts);
        await WaitReadyAsync(TimeSpan.FromMinutes(2), cancellationToken);
    }

    /// <summary>Kills the host <see cref="SoakOptions.Kills"/> times at random points, starting it again after each kill.</summary>
    public async Task KillRepeatedlyAsync(Action<string> report, CancellationToken cancellationToken)
    {
        while (Kills < options.Kills)
        {
            var lifetime = TimeSpan.FromSeconds(options.UpMinSeconds + (random.NextDouble() * (options.UpMaxSeconds - options.UpMinSeconds)));
            var dueAt = _current!.StartedAt + lifetime;
            while (DateTimeOffset.UtcNow < dueAt)
            {
                if (_current.HasExited)
                {
                    SelfExits++;
                    report($"host pid {_current.Id} exited by itself (code {_current.ExitCode}); starting it again");
                    Replace();
                    dueAt = _current.StartedAt + lifetime;
                }

                await Task.Delay(100, cancellationToken);
            }

            var ready = await client.IsReadyAsync(cancellationToken);
            _current.KillHard();
            Kills++;
            report($"kill {Kills}/{options.Kills}: host pid {_current.Id} after {lifetime.TotalSeconds:F1} s ({(ready ? "serving" : "still starting")})");
            var killedAt = Stopwatch.StartNew();
            Replace();
            if (Kills == options.Kills)
            {
                await WaitReadyAsync(TimeSpan.FromMinutes(2), cancellationToken);
                lock (RecoverySeconds)
                {
                    RecoverySeconds.Add(killedAt.Elapsed.TotalSeconds);
                }
            }
            else
            {
                _ = MeasureRecoveryAsync(killedAt, cancellationToken);
            }
        }
    }

    /// <summary>Keeps the last host up: started again if it exits by itself while the runs drain.</summary>
    public void EnsureRunning(Action<string> report)
    {
        if (_current is { HasExited: true })
        {
            SelfExits++;
            report($"host pid {_current.Id} exited by itself (code {_current.ExitCode}); starting it again");
            Replace();
        }
    }

    public void Dispose() => _current?.Dispose();

    private void Replace()
    {
        _current?.Dispose();
        _current = start(++_starts);
    }

    private async Task MeasureRecoveryAsync(Stopwatch killedAt, CancellationToken cancellationToken)
    {
        var process = _current;
        while (process is { HasExited: false } && !cancellationToken.IsCancellationRequested)
        {
            if (await client.IsReadyAsync(cancellationToken))
            {
                lock (RecoverySeconds)
                {
                    RecoverySeconds.Add(killedAt.Elapsed.TotalSeconds);
                }

                return;
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    private async Task WaitReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (!await client.IsReadyAsync(cancellationToken))
        {
            if (_current!.HasExited)
            {
                SelfExits++;
                Replace();
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"The host did not answer within {timeout.TotalSeconds:F0} s; see its log.");
            }

            await Task.Delay(100, cancellationToken);
        }
    }
}
