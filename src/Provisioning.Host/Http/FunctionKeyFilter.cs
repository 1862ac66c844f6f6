using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Provisioning.Host.Http;

/// <summary>
/// Refuses a request with 401 unless it carries the key its route requires. The keys are read per request from an
/// <see cref="IOptionsMonitor{TOptions}"/>, so a rotated key (settings reloaded, or <c>keys.json</c> rewritten) applies
/// to the next request without a restart.
/// </summary>
internal sealed class FunctionKeyFilter(KeyScope scope) : IEndpointFilter
{
    public const string HeaderName = "x-functions-key";

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var keys = http.RequestServices.GetRequiredService<IOptionsMonitor<FunctionKeyOptions>>().CurrentValue;
        var presented = http.Request.Headers[HeaderName].FirstOrDefault() ?? http.Request.Query["code"].FirstOrDefault();
        if (presented is null)
        {
            return ValueTask.FromResult<object?>(Problems.Unauthorized($"This route needs a key: send it in the '{HeaderName}' header or the 'code' query parameter."));
        }

        var accepted = Matches(presented, keys.SystemKey) || (scope == KeyScope.Function && Matches(presented, keys.FunctionKey));
        return accepted
            ? next(context)
            : ValueTask.FromResult<object?>(Problems.Unauthorized(scope == KeyScope.System
                ? "The key is not valid for this route: runtime webhooks need the system key."
                : "The key is not valid for this route."));
    }

    // Constant-time comparison: a key must not be guessable from response timing.
    private static bool Matches(string presented, string expected)
        => expected.Length > 0 && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(expected));
}
