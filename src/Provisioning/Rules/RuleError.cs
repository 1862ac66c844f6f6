namespace Provisioning.Rules;

/// <summary>One thing wrong with a rules file: where (file and field path), what, and how to fix it.</summary>
/// <param name="File">The rules file (its name as loaded).</param>
/// <param name="Path">The field path, e.g. <c>rules[0].repository</c>.</param>
/// <param name="Problem">What is wrong.</param>
/// <param name="Fix">What to change.</param>
public sealed record RuleError(string File, string Path, string Problem, string Fix)
{
    /// <summary>The error as one line: <c>file: path: problem. Fix: fix.</c></summary>
    public override string ToString() => $"{File}: {Path}: {Problem}. Fix: {Fix}.";
}
