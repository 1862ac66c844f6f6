using System.Text.Json;
using Microsoft.DurableTask.Converters;

namespace Provisioning.Runs;

/// <summary>
/// How run inputs, outputs and custom status are serialized on every backend: System.Text.Json's web settings
/// (camelCase, case-insensitive), so the status API shows the same payloads whichever backend runs the runs.
/// </summary>
public static class RunDataConverter
{
    /// <summary>The converter; give it to the worker's and the client's options.</summary>
    public static JsonDataConverter Instance { get; } = new(new JsonSerializerOptions(JsonSerializerDefaults.Web));
}
