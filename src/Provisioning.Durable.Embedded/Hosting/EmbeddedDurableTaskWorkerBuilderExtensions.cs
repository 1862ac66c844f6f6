using Provisioning.Durable.Embedded;
using Provisioning.Durable.Embedded.Hosting;

// In the SDK's namespace, beside UseGrpc, so the extension is found where workers are configured.
#pragma warning disable IDE0130 // Namespace does not match folder structure
namespace Microsoft.DurableTask.Worker;
#pragma warning restore IDE0130

/// <summary>Plugs the embedded SQLite backend into a Durable Task worker.</summary>
public static class EmbeddedDurableTaskWorkerBuilderExtensions
{
    /// <summary>
    /// Runs the worker's orchestrations and activities on the embedded backend: history, timers and leases in a
    /// SQLite file on this machine. A client registered with <c>AddDurableTaskClient(b =&gt; b.UseEmbedded())</c> in
    /// the same container shares the engine; both see the options any of the two <c>UseEmbedded</c> calls set.
    /// <code>
    /// services.AddDurableTaskWorker(b =&gt; b.AddTasks(r =&gt; r.AddOrchestrator&lt;MyFlow&gt;()).UseEmbedded(o =&gt; o.DatabasePath = "./.data/app.db"));
    /// </code>
    /// </summary>
    /// <param name="builder">The worker builder.</param>
    /// <param name="configure">Sets the store path, durability, concurrency, leases and clock.</param>
    /// <returns>The builder.</returns>
    public static IDurableTaskWorkerBuilder UseEmbedded(this IDurableTaskWorkerBuilder builder, Action<EmbeddedEngineOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        EmbeddedBackendRegistration.AddEngine(builder.Services, configure);
        builder.UseBuildTarget<EmbeddedDurableTaskWorker>();
        return builder;
    }
}
