using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace Provisioning.Host.Http;

/// <summary>
/// Per-client rate limits of the doors that start work: the Event Grid webhook and the start APIs (Durable
/// <c>orchestrators/{name}</c>, <c>/api/provisioning/{template}</c>). A token bucket per client address; a client over
/// its limit gets 429 with <c>Retry-After</c> (seconds) and a problem body. Settings <c>Provisioning:RateLimits:Webhook</c>
/// and <c>Provisioning:RateLimits:Start</c> (<c>Provisioning__RateLimits__Webhook__TokenLimit</c> …).
/// </summary>
public sealed class RateLimitOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Provisioning:RateLimits";

    /// <summary>The Event Grid webhook's limit.</summary>
    public RateLimitSettings Webhook { get; set; } = new();

    /// <summary>The start APIs' limit.</summary>
    public RateLimitSettings Start { get; set; } = new();
}

/// <summary>One door's token bucket, per client address. The defaults let a client burst 5,000 requests and then 1,000 a second.</summary>
public sealed class RateLimitSettings
{
    /// <summary>Whether the door is limited at all: <c>Enabled</c>, default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The bucket's size, the largest burst: <c>TokenLimit</c>, default 5,000 (Event Grid delivers bursts; the host bench sends 1,000 at once).</summary>
    public int TokenLimit { get; set; } = 5000;

    /// <summary>Requests added back each period: <c>TokensPerPeriod</c>, default 1,000.</summary>
    public int TokensPerPeriod { get; set; } = 1000;

    /// <summary>The period: <c>ReplenishmentPeriod</c>, default 1 second.</summary>
    public TimeSpan ReplenishmentPeriod { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>Registers the rate limiter and names its policies.</summary>
public static class RateLimits
{
    /// <summary>The Event Grid webhook's policy.</summary>
    public const string WebhookPolicy = "webhook";

    /// <summary>The start APIs' policy.</summary>
    public const string StartPolicy = "start";

    /// <summary>Adds the rate limiter with the two policies, from <c>Provisioning:RateLimits</c>.</summary>
    public static IServiceCollection AddProvisioningRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(RateLimitOptions.SectionName).Get<RateLimitOptions>() ?? new RateLimitOptions();
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(WebhookPolicy, http => Partition(http, WebhookPolicy, options.Webhook));
            limiter.AddPolicy(StartPolicy, http => Partition(http, StartPolicy, options.Start));
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
                var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
                context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await Results.Problem(
                    statusCode: StatusCodes.Status429TooManyRequests,
                    title: "Too many requests",
                    detail: $"This client is over its request rate; retry after {seconds} s.").ExecuteAsync(context.HttpContext);
            };
        });
        return services;
    }

    private static RateLimitPartition<string> Partition(HttpContext http, string policy, RateLimitSettings settings)
    {
        if (!settings.Enabled)
        {
            return RateLimitPartition.GetNoLimiter(string.Empty);
        }

        // The client is its address (no forwarding headers are trusted).
        var client = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        return RateLimitPartition.GetTokenBucketLimiter($"{policy}:{client}", _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(1, settings.TokenLimit),
            TokensPerPeriod = Math.Max(1, settings.TokensPerPeriod),
            ReplenishmentPeriod = settings.ReplenishmentPeriod > TimeSpan.Zero ? settings.ReplenishmentPeriod : TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }
}
