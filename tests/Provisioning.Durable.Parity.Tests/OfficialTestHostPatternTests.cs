namespace Provisioning.Durable.Parity.Tests;

public sealed class OfficialTestHostPatternTests() : OrchestrationPatternTests(new OfficialTestHostBackend());
