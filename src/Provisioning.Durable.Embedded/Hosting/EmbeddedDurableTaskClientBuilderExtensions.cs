using Provisioning.Durable.Embedded;
using Provisioning.Durable.Embedded.Client;
using Provisioning.Durable.Embedded.Hosting;

// In the SDK's namespace, beside UseGrpc, so the extension is found where clients are configured.
#pragma warning disable IDE0130 // Namespace does not match folder structure
namespace Microsoft.DurableTask.Client;
#pragma warning restore IDE0130

/// <summary>Plugs the embedded SQLite backend into a Durable Task client.</summary>
public static class EmbeddedDurableTaskClientBuilderExtensions
{
    /// <summary>
    /// Starts, queries and controls instances in the embedded backend's SQLite store. Without a worker in the same
    /// container the client still works (it reads and writes the store; another process runs the instances).
    /// </summary>
    /// <param name="builder">The client builder.</param>
    /// <param name="configure">Sets the store path and the other options the worker shares.</param>
    /// <returns>The builder.</returns>
    public static IDurableTaskClientBuilder UseEmbedded(this IDurableTaskClientBuilder builder, Action<EmbeddedEngineOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        EmbeddedBackendRegistration.AddEngine(builder.Services, configure);
        builder.UseBuildTarget<EmbeddedDurableTaskClient>();
        return builder;
    }
}
