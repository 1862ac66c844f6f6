using Microsoft.DurableTask.Client;
using Provisioning.Orchestrations;
using Provisioning.Runs;
using Provisioning.Secrets;
using Provisioning.Templates.Loading;

namespace Provisioning.Functions.Configuration;

/// <summary>
/// Makes the <see cref="ProvisioningStarter"/> of an invocation: Durable Functions hands the client to each invocation
/// (the <c>[DurableClient]</c> binding), so the starter is made around it, with the app's templates and timings.
/// </summary>
/// <param name="catalog">The templates.</param>
/// <param name="timings">The run timings (<c>Provisioning__Timings__*</c>), or null for the defaults.</param>
/// <param name="secrets">Encrypts the workloads' secrets before runs are scheduled.</param>
public sealed class RunStarters(TemplateCatalog catalog, ProvisioningTimings? timings, SecretProtector secrets)
{
    /// <summary>The templates.</summary>
    public TemplateCatalog Catalog => catalog;

    /// <summary>A starter that starts runs with <paramref name="client"/>.</summary>
    /// <param name="client">The invocation's client.</param>
    public ProvisioningStarter For(DurableTaskClient client) => new(catalog, client, timings, secrets: secrets);
}
