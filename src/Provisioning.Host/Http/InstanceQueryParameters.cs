using System.Globalization;
using Microsoft.DurableTask.Client;

namespace Provisioning.Host.Http;

/// <summary>Parses the query parameters of the Durable HTTP API, refusing values it cannot read instead of ignoring them.</summary>
internal static class InstanceQueryParameters
{
    public static bool TryGetBool(IQueryCollection query, string name, bool defaultValue, out bool value, out IResult? error)
    {
        error = null;
        value = defaultValue;
        if (query[name].FirstOrDefault() is not { } text)
        {
            return true;
        }

        if (bool.TryParse(text, out value))
        {
            return true;
        }

        error = Problems.BadRequest($"The query parameter '{name}' must be true or false; it is '{text}'.");
        return false;
    }

    public static bool TryGetTime(IQueryCollection query, string name, out DateTimeOffset? value, out IResult? error)
    {
        error = null;
        value = null;
        if (query[name].FirstOrDefault() is not { } text)
        {
            return true;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            value = parsed;
            return true;
        }

        error = Problems.BadRequest($"The query parameter '{name}' must be an ISO 8601 time such as 2026-01-31T12:00:00Z; it is '{text}'.");
        return false;
    }

    public static bool TryGetStatuses(IQueryCollection query, out IReadOnlyCollection<OrchestrationRuntimeStatus>? statuses, out IResult? error)
    {
        error = null;
        statuses = null;
        var values = query["runtimeStatus"].SelectMany(v => (v ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        if (values.Count == 0)
        {
            return true;
        }

        var parsed = new List<OrchestrationRuntimeStatus>();
        foreach (var value in values)
        {
            if (!Enum.TryParse<OrchestrationRuntimeStatus>(value, ignoreCase: true, out var status) || int.TryParse(value, CultureInfo.InvariantCulture, out _))
            {
                error = Problems.BadRequest($"The runtimeStatus '{value}' is unknown; use {string.Join(", ", Enum.GetNames<OrchestrationRuntimeStatus>())}.");
                return false;
            }

            parsed.Add(status);
        }

        statuses = parsed;
        return true;
    }

    public static bool TryGetPageSize(IQueryCollection query, out int pageSize, out IResult? error)
    {
        error = null;
        pageSize = 100;
        if (query["top"].FirstOrDefault() is not { } text)
        {
            return true;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) && pageSize is > 0 and <= 1000)
        {
            return true;
        }

        error = Problems.BadRequest($"The query parameter 'top' must be a whole number from 1 to 1000; it is '{text}'.");
        return false;
    }
}
