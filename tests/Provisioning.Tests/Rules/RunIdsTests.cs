using Provisioning.Rules;

namespace Provisioning.Tests.Rules;

public sealed class RunIdsTests
{
    private const string Subscription = "00000000-0000-0000-0000-000000000001";

    [Fact]
    public void A_run_id_is_target_template_and_a_hash_of_source_and_event_id()
    {
        var id = RunIds.For(Subscription.ToUpperInvariant(), "RG-Web", "Web", "/topic", "event-1");

        Assert.Matches($"^{Subscription}:rg-web:web:[0-9a-f]{{32}}$", id);
        Assert.Equal(id, RunIds.For(Subscription, "rg-web", "web", "/topic", "event-1"));
        Assert.NotEqual(id, RunIds.For(Subscription, "rg-web", "web", "/other-topic", "event-1"));
        Assert.NotEqual(id, RunIds.For(Subscription, "rg-web", "web", "/topic", "event-2"));
        Assert.StartsWith(RunIds.ResourceGroupPrefix(Subscription, "RG-WEB"), id, StringComparison.Ordinal);
    }

    [Fact]
    public void The_prefix_of_a_group_does_not_select_a_group_whose_name_extends_it()
        => Assert.False(RunIds.For(Subscription, "rg-web2", "web", string.Empty, "e").StartsWith(RunIds.ResourceGroupPrefix(Subscription, "rg-web"), StringComparison.Ordinal));
}
