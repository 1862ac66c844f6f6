using System.Diagnostics;

namespace Provisioning.Telemetry;

/// <summary>
/// Records one ARM call into the product's metrics (<see cref="ProvisioningTelemetry.ArmCalls"/>,
/// <see cref="ProvisioningTelemetry.ArmDuration"/>, <see cref="ProvisioningTelemetry.ArmThrottles"/>) from the HTTP
/// client's span of it, so every host counts ARM calls the same way without a line in the ARM client.
/// </summary>
public static class ArmCallMetrics
{
    /// <summary>The HTTP client's ActivitySource, whose spans the hosts listen to.</summary>
    public const string HttpClientSource = "System.Net.Http";

    /// <summary>Whether <paramref name="uri"/> is a call to the ARM endpoint <paramref name="arm"/>: same host and port, less the sandbox emulator's own admin routes.</summary>
    /// <param name="arm">Azure Resource Manager, or the sandbox's emulator of it.</param>
    /// <param name="uri">The request's address.</param>
    public static bool IsArmCall(Uri arm, Uri uri)
    {
        ArgumentNullException.ThrowIfNull(arm);
        ArgumentNullException.ThrowIfNull(uri);
        return string.Equals(uri.Host, arm.Host, StringComparison.OrdinalIgnoreCase)
            && uri.Port == arm.Port
            && !uri.AbsolutePath.StartsWith("/_emulator", StringComparison.Ordinal);
    }

    /// <summary>Records <paramref name="activity"/>, an ended HTTP client span, when it is a call to <paramref name="arm"/>.</summary>
    /// <param name="activity">A span of <see cref="HttpClientSource"/> (its tags are set only when its data was requested).</param>
    /// <param name="arm">The ARM endpoint.</param>
    /// <returns>Whether it was an ARM call.</returns>
    public static bool Record(Activity activity, Uri arm)
    {
        ArgumentNullException.ThrowIfNull(activity);
        if (activity.GetTagItem("url.full") is not string url || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || !IsArmCall(arm, uri))
        {
            return false;
        }

        var method = new KeyValuePair<string, object?>("http.request.method", activity.GetTagItem("http.request.method"));
        var code = activity.GetTagItem("http.response.status_code");
        ProvisioningTelemetry.ArmCalls.Add(1, method, new("http.response.status_code", code));
        ProvisioningTelemetry.ArmDuration.Record(activity.Duration.TotalSeconds, method);
        if (code is 429 or "429")
        {
            ProvisioningTelemetry.ArmThrottles.Add(1, method);
        }

        return true;
    }
}
