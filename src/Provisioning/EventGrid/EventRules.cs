using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Provisioning.Rules;
using Provisioning.Rules.Loading;
using Provisioning.Rules.Matching;
using Provisioning.Templates.Loading;

namespace Provisioning.EventGrid;

/// <summary>
/// The rules file, loaded once and checked against the loaded templates (at host start, by
/// <see cref="EventRulesStartup"/>, so a bad file stops the host with errors naming file, field and fix).
/// </summary>
internal sealed class EventRules(IOptions<EventGridTriggerOptions> options, IHostEnvironment environment, TemplateCatalog catalog, ILogger<EventRules> logger)
{
    private readonly Lazy<Task<RuleMatcher>> _matcher = new(() => LoadAsync(options.Value, environment, catalog, logger), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The matcher over the loaded rules.</summary>
    public Task<RuleMatcher> GetMatcherAsync() => _matcher.Value;

    private static async Task<RuleMatcher> LoadAsync(EventGridTriggerOptions options, IHostEnvironment environment, TemplateCatalog catalog, ILogger logger)
    {
        var path = Path.GetFullPath(Path.Combine(environment.ContentRootPath, options.RulesPath));
        if (!File.Exists(path))
        {
            EventGridLog.NoRulesFile(logger, path);
            return new RuleMatcher(RuleSet.Empty with { DefaultSubscriptionId = options.DefaultSubscriptionId });
        }

        var rules = await RuleLoader.LoadFileAsync(path, options.DefaultSubscriptionId, catalog.Names);
        EventGridLog.RulesLoaded(logger, rules.Rules.Count, path);
        return new RuleMatcher(rules);
    }
}
