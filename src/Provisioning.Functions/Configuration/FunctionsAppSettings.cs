namespace Provisioning.Functions.Configuration;

/// <summary>
/// The app's settings, section <c>Provisioning</c> (app settings <c>Provisioning__Name</c>): the same names as the
/// self-hosted host's. The Event Grid settings (<c>Provisioning__RulesPath</c>, <c>Provisioning__EventGrid__*</c>) are
/// read by <c>AddEventGridTriggers</c>, the run timings from <c>Provisioning__Timings__*</c>, and the drift timer's
/// schedule from <c>Provisioning__Drift__Schedule</c> by the trigger itself.
/// </summary>
public sealed class FunctionsAppSettings
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Provisioning";

    /// <summary>The folder of template files, relative to the app's folder. Default <c>templates</c>.</summary>
    public string TemplatesPath { get; set; } = "templates";

    /// <summary>Where runs go when a request names no region.</summary>
    public string DefaultLocation { get; set; } = "westeurope";

    /// <summary>The subscription runs go to when a request names none (<c>Provisioning__Azure__SubscriptionId</c>); without it, a start must name one.</summary>
    public string? SubscriptionId { get; set; }

    /// <summary>The ARM endpoint (<c>Provisioning__Azure__ResourceManagerEndpoint</c>; sovereign clouds); default public Azure.</summary>
    public Uri? ResourceManagerEndpoint { get; set; }
}
