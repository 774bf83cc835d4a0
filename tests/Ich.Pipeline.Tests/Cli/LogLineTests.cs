using Ich.Cli.Logging;

namespace Ich.Pipeline.Tests.Cli;

/// <summary>The CLI's log line format: UTC time of day when asked, each scope in brackets, then the message.</summary>
public class LogLineTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 2, 14, 28, 5, TimeSpan.FromHours(2));

    [Fact]
    public void Format_WithTimestampAndScope_IsUtcTimeThenBracketedScopeThenMessage()
    {
        Assert.Equal("12:28:05 [resnet18] fold 0 epoch 1: done", LogLine.Format(At, timestamps: true, ["resnet18"], "fold 0 epoch 1: done", null));
    }

    [Fact]
    public void Format_WithoutTimestampOrScope_IsTheMessageAlone()
    {
        Assert.Equal("stage seq: running", LogLine.Format(At, timestamps: false, [], "stage seq: running", null));
        Assert.Equal("stage seq: running", LogLine.Format(At, timestamps: false, [null, ""], "stage seq: running", null));
    }

    [Fact]
    public void Format_WithException_AppendsItsTypeAndMessage()
    {
        Assert.Equal("retry (IOException: disk full)", LogLine.Format(At, false, [], "retry", new IOException("disk full")));
    }
}
