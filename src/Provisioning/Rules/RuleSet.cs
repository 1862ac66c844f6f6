namespace Provisioning.Rules;

/// <summary>The rules of a rules file, in file order, with the subscription that rules without one deploy into.</summary>
/// <param name="Rules">The rules.</param>
/// <param name="DefaultSubscriptionId">The settings' subscription, or null.</param>
public sealed record RuleSet(IReadOnlyList<Rule> Rules, string? DefaultSubscriptionId = null)
{
    /// <summary>No rules: every event is acknowledged and nothing starts.</summary>
    public static RuleSet Empty { get; } = new([]);
}
