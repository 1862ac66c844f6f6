using Microsoft.Extensions.Hosting;

namespace Provisioning.EventGrid;

/// <summary>Loads the rules when the host starts, so a bad rules file stops it at once (with a <see cref="Rules.RuleException"/>).</summary>
internal sealed class EventRulesStartup(EventRules rules) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken) => await rules.GetMatcherAsync().WaitAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
