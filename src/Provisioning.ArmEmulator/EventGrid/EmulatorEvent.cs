using System.Text.Json.Nodes;

namespace Provisioning.ArmEmulator.EventGrid;

/// <summary>An event the emulator raised, in schema-neutral form (rendered as Event Grid or CloudEvents on delivery).</summary>
/// <param name="Id">Unique event id.</param>
/// <param name="EventType">E.g. <c>Microsoft.ContainerRegistry.ImagePushed</c>.</param>
/// <param name="Subject">Event subject.</param>
/// <param name="Topic">Source topic (resource id of the publisher scope).</param>
/// <param name="EventTime">When it happened.</param>
/// <param name="Data">Event data.</param>
/// <param name="DataVersion">Data schema version.</param>
public sealed record EmulatorEvent(string Id, string EventType, string Subject, string Topic, DateTimeOffset EventTime, JsonObject Data, string DataVersion = "1");
