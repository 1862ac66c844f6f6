namespace Provisioning.Host.Http;

/// <summary>
/// The keys callers present, as Azure Functions does: in the <c>x-functions-key</c> header or the <c>code</c> query
/// parameter. Function routes (<c>/api/...</c>) accept the function key or the system key; the runtime webhooks
/// (<c>/runtime/webhooks/...</c>) accept only the system key. When the settings name no key, it comes from
/// <c>keys.json</c> in the data folder (generated once). Keys rotate without a restart: they are read per request, and
/// re-read when the settings reload or <c>keys.json</c> changes.
/// </summary>
public sealed class FunctionKeyOptions
{
    /// <summary>The configuration section: <c>Provisioning:Keys</c> (in local.settings.json Values: <c>Provisioning__Keys__FunctionKey</c>).</summary>
    public const string SectionName = "Provisioning:Keys";

    /// <summary>The key of the function routes.</summary>
    public string FunctionKey { get; set; } = string.Empty;

    /// <summary>The key of the runtime webhooks (Durable HTTP API, Event Grid).</summary>
    public string SystemKey { get; set; } = string.Empty;
}
