using System.Text.Json.Nodes;
using Provisioning.ArmEmulator.Arm;

namespace Provisioning.ArmEmulator.EventGrid;

/// <summary>Renders events in the Event Grid and CloudEvents 1.0 schemas.</summary>
internal static class EventFormats
{
    public static JsonObject EventGrid(EmulatorEvent e) => new()
    {
        ["id"] = e.Id,
        ["topic"] = e.Topic,
        ["subject"] = e.Subject,
        ["eventType"] = e.EventType,
        ["eventTime"] = ArmJson.Time(e.EventTime),
        ["data"] = e.Data.DeepClone(),
        ["dataVersion"] = e.DataVersion,
        ["metadataVersion"] = "1",
    };

    public static JsonObject CloudEvent(EmulatorEvent e) => new()
    {
        ["specversion"] = "1.0",
        ["id"] = e.Id,
        ["source"] = e.Topic,
        ["subject"] = e.Subject,
        ["type"] = e.EventType,
        ["time"] = ArmJson.Time(e.EventTime),
        ["datacontenttype"] = "application/json",
        ["data"] = e.Data.DeepClone(),
    };
}
