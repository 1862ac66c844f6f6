using Provisioning.Durable;

namespace Provisioning.Host.Samples;

/// <summary>A sample activity: greets a city.</summary>
public sealed class SayHello : Activity<string, string>
{
    /// <inheritdoc />
    public override Task<string> RunAsync(ActivityContext context, string input) => Task.FromResult($"Hello, {input}!");
}
