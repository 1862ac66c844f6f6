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

    /// <summary>Event Grid's origin, which the CloudEvents handshake allows by default.</summary>
    public const string EventGridOrigin = "eventgrid.azure.net";

    /// <summary>
    /// The origins the CloudEvents handshake (OPTIONS with <c>WebHook-Request-Origin</c>) consents to, comma-separated:
    /// setting <c>Provisioning:EventGrid:AllowedOrigins</c>, default <c>eventgrid.azure.net</c>. <c>*</c> allows any
    /// origin, only when set so. Others get 403.
    /// </summary>
    public string AllowedOrigins { get; set; } = EventGridOrigin;

    /// <summary>The allowed origins as a list.</summary>
    public IReadOnlyList<string> AllowedOriginList
        => AllowedOrigins.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Whether the CloudEvents handshake consents to <paramref name="origin"/>.</summary>
    public bool AllowsOrigin(string origin)
        => AllowedOriginList.Any(allowed => allowed == "*" || allowed.Equals(origin.Trim(), StringComparison.OrdinalIgnoreCase));
}
