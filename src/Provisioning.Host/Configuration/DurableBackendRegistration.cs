using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;
using Provisioning.Durable.Embedded;
using Provisioning.Runs;

namespace Provisioning.Host.Configuration;

/// <summary>Registers the Durable Task worker and client on the backend the configuration names.</summary>
internal static class DurableBackendRegistration
{
    /// <summary>Adds the worker (with <paramref name="tasks"/>) and the client.</summary>
    /// <exception cref="InvalidOperationException">The gRPC backend is chosen without an address.</exception>
    public static IServiceCollection AddDurableBackend(
        this IServiceCollection services, DurableBackendSettings settings, Action<EmbeddedEngineOptions> embedded, Action<DurableTaskRegistry> tasks)
    {
        if (settings.Backend == DurableBackend.Grpc)
        {
            if (!Uri.TryCreate(settings.GrpcAddress, UriKind.Absolute, out var address) || address.Scheme is not ("http" or "https"))
            {
                throw new InvalidOperationException(
                    $"{DurableBackendSettings.SectionName}:Backend is Grpc but {DurableBackendSettings.SectionName}:GrpcAddress is '{settings.GrpcAddress}'. " +
                    "Set it to the sidecar's http(s) address, e.g. Provisioning__Durable__GrpcAddress=http://localhost:4001.");
            }

            services.AddDurableTaskWorker(builder => builder.AddTasks(tasks).UseGrpc(address.ToString()).Configure(options => options.DataConverter = RunDataConverter.Instance));
            services.AddDurableTaskClient(builder => builder.UseGrpc(address.ToString()).Configure(options => options.DataConverter = RunDataConverter.Instance));
            return services;
        }

        services.AddDurableTaskWorker(builder => builder.AddTasks(tasks).UseEmbedded(embedded));
        services.AddDurableTaskClient(builder => builder.UseEmbedded(embedded));
        return services;
    }
}
