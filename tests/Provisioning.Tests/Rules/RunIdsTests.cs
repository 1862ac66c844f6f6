using Provisioning.Rules;

namespace Provisioning.Tests.Rules;

public sealed class RunIdsTests
{
    private const string Subscription = "00000000-0000-0000-0000-000000000001";
    private static readonly DateTimeOffset Noon = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_run_id_is_target_workload_event_time_and_a_hash_of_source_and_event_id()
    {
        var id = RunIds.For(Subscription.ToUpperInvariant(), "RG-Web", "Web", new RunCause("event-1", "/topic", Noon.ToOffset(TimeSpan.FromHours(2))));

        Assert.Matches($"^{Subscription}:rg-web:web:20261123T1200000000000Z-[0-9a-f]{{32}}$", id);
        Assert.Equal(id, RunIds.For(Subscription, "rg-web", "web", new RunCause("event-1", "/topic", Noon)));
        Assert.NotEqual(id, RunIds.For(Subscription, "rg-web", "web", new RunCause("event-1", "/other-topic", Noon)));
        Assert.NotEqual(id, RunIds.For(Subscription, "rg-web", "web", new RunCause("event-2", "/topic", Noon)));
        Assert.StartsWith(RunIds.ResourceGroupPrefix(Subscription, "RG-WEB"), id, StringComparison.Ordinal);
        Assert.StartsWith(RunIds.WorkloadPrefix(Subscription, "RG-WEB", "WEB"), id, StringComparison.Ordinal);
    }

    [Fact]
    public void Within_a_workload_ids_sort_in_event_time_order_and_an_event_without_a_time_sorts_first()
    {
        var undated = RunIds.For(Subscription, "rg", "web", new RunCause("z", "/t", null));
        var earlier = RunIds.For(Subscription, "rg", "web", new RunCause("y", "/t", Noon));
        var later = RunIds.For(Subscription, "rg", "web", new RunCause("a", "/t", Noon.AddTicks(1)));

        Assert.Equal([undated, earlier, later], new[] { later, undated, earlier }.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_request_started_run_id_is_in_the_workload_lane_and_sorts_by_its_start_time_among_event_runs()
    {
        var request = RunIds.ForRequest(Subscription, "RG", "Web", Noon, Guid.Parse("0123456789abcdef0123456789abcdef"));
        var earlierEvent = RunIds.For(Subscription, "rg", "web", new RunCause("e", "/t", Noon.AddTicks(-1)));
        var laterEvent = RunIds.For(Subscription, "rg", "web", new RunCause("e", "/t", Noon.AddTicks(1)));

        Assert.Equal($"{Subscription}:rg:web:20261123T1200000000000Z-0123456789abcdef0123456789abcdef", request);
        Assert.Equal([earlierEvent, request, laterEvent], new[] { laterEvent, request, earlierEvent }.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_prefix_of_a_group_or_workload_does_not_select_one_whose_name_extends_it()
    {
        var cause = new RunCause("e", string.Empty, Noon);
        Assert.False(RunIds.For(Subscription, "rg-web2", "web", cause).StartsWith(RunIds.ResourceGroupPrefix(Subscription, "rg-web"), StringComparison.Ordinal));
        Assert.False(RunIds.For(Subscription, "rg", "web2", cause).StartsWith(RunIds.WorkloadPrefix(Subscription, "rg", "web"), StringComparison.Ordinal));
    }
}
