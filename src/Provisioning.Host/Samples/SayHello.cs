using Microsoft.DurableTask;

namespace Provisioning.Host.Samples;

/// <summary>A sample activity: greets a city.</summary>
public sealed class SayHello : TaskActivity<string, string>
{
    /// <inheritdoc />
    public override Task<string> RunAsync(TaskActivityContext context, string input) => Task.FromResult($"Hello, {input}!");
}
