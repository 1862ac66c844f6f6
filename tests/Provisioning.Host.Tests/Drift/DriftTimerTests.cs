using Provisioning.Drift;

namespace Provisioning.Host.Tests.Drift;

/// <summary>The self-hosted drift timer: Functions' six-field NCRONTAB, read by Cronos.</summary>
public sealed class DriftTimerTests
{
    [Fact]
    public void The_schedule_is_six_field_ncrontab_with_seconds_first()
    {
        var cron = DriftTimer.Parse("0 */15 * * * *");

        Assert.Equal(new DateTime(2026, 1, 1, 10, 15, 0, DateTimeKind.Utc), cron.GetNextOccurrence(new DateTime(2026, 1, 1, 10, 7, 30, DateTimeKind.Utc)));
    }

    [Fact]
    public void A_five_field_expression_is_refused_naming_the_setting()
    {
        var error = Assert.Throws<InvalidOperationException>(() => DriftTimer.Parse("*/15 * * * *"));

        Assert.Contains(DriftTimer.ScheduleKey, error.Message, StringComparison.Ordinal);
        Assert.Contains("six fields", error.Message, StringComparison.Ordinal);
    }
}
