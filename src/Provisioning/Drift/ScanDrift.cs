using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Provisioning.Arm;
using Provisioning.Templates.Loading;

namespace Provisioning.Drift;

/// <summary>The drift run's scan (<see cref="DriftScanner"/>); the input says whether it is a dry run.</summary>
public sealed class ScanDrift(ProvisioningArmClient arm, DurableTaskClient client, TemplateCatalog catalog, TimeProvider? time = null) : TaskActivity<bool, DriftReport>
{
    /// <inheritdoc />
    public override Task<DriftReport> RunAsync(TaskActivityContext context, bool input) =>
        new DriftScanner(arm, client, catalog, time).ScanAsync(input, CancellationToken.None);
}
