using System.Text.Json;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Converters;

namespace Provisioning.Runs;

/// <summary>
/// How run inputs, outputs and custom status are serialized on every backend: System.Text.Json's web settings
/// (camelCase, case-insensitive), so the status API shows the same payloads whichever backend runs the runs.
/// </summary>
public static class RunDataConverter
{
    /// <summary>The serializer settings: System.Text.Json's web defaults. A host whose serializer is not a <see cref="DataConverter"/>
    /// (the Functions worker's <c>ObjectSerializer</c>, which Durable Functions uses for payloads) is given these.</summary>
    public static JsonSerializerOptions SerializerOptions => JsonSerializerOptions.Web;

    /// <summary>The converter; give it to the worker's and the client's options.</summary>
    public static JsonDataConverter Instance { get; } = new(SerializerOptions);
}
