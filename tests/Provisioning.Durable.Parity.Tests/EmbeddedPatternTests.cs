namespace Provisioning.Durable.Parity.Tests;

public sealed class EmbeddedPatternTests() : OrchestrationPatternTests(new EmbeddedBackend());
