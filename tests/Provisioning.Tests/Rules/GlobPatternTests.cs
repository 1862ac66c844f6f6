using Provisioning.Rules;

namespace Provisioning.Tests.Rules;

public sealed class GlobPatternTests
{
    [Theory]
    [InlineData("web", "web", true)]
    [InlineData("web", "WEB", true)]
    [InlineData("web", "web2", false)]
    [InlineData("v*", "v1.2.3", true)]
    [InlineData("v*", "release-v1", false)]
    [InlineData("team/*", "team/a/b", true)]
    [InlineData("v?", "v1", true)]
    [InlineData("v?", "v10", false)]
    [InlineData("a.b", "axb", false)]
    [InlineData("*", "", true)]
    [InlineData("(x)+", "(x)+", true)]
    public void Patterns_match_as_globs(string pattern, string value, bool expected)
        => Assert.Equal(expected, GlobPattern.Parse(pattern).IsMatch(value));

    [Fact]
    public void Null_matches_nothing() => Assert.False(GlobPattern.Any.IsMatch(null));
}
