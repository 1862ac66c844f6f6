namespace Provisioning.EventGrid;

/// <summary>Settings of the Event Grid triggers (section <c>Provisioning</c>).</summary>
public sealed class EventGridTriggerOptions
{
    /// <summary>The function name Event Grid subscriptions use in <c>?functionName=</c>.</summary>
    public const string DefaultFunctionName = "ProvisioningEvents";

    /// <summary>The rules file (YAML or JSON), relative to the content root: setting <c>Provisioning:RulesPath</c>, default <c>rules.yaml</c>. A missing file means no rules.</summary>
    public string RulesPath { get; set; } = "rules.yaml";

    /// <summary>The function name the webhook answers to: setting <c>Provisioning:EventGrid:FunctionName</c>.</summary>
    public string FunctionName { get; set; } = DefaultFunctionName;

    /// <summary>The subscription rules deploy into when they name none: setting <c>Provisioning:Azure:SubscriptionId</c>; when unset, an image push deploys into its registry's subscription.</summary>
    public string? DefaultSubscriptionId { get; set; }

    /// <summary>
    /// How long an event-started run waits before it starts: setting <c>Provisioning:EventGrid:SettleDelay</c>, default
    /// 5 seconds. A CI job often pushes several tags of one image within seconds; the runs of one container group take
    /// turns and a newer one supersedes the older, so with a settle delay such a burst deploys once, with the newest
    /// image. It also keeps deployments from competing with the webhook while a burst of events arrives. Zero starts
    /// runs at once.
    /// </summary>
    public TimeSpan SettleDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long the webhook waits for a deleted group's runs to stop before it purges them; longer, and it answers 503 so Event Grid retries.</summary>
    public TimeSpan ForgetTimeout { get; set; } = TimeSpan.FromSeconds(15);
}
