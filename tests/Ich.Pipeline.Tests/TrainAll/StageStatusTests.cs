using Ich.Application.TrainAll;

namespace Ich.Pipeline.Tests.TrainAll;

public class StageStatusTests
{
    /// <summary>The words of <c>ich train all</c>'s closing stage table are unchanged by the enum.</summary>
    [Fact]
    public void Display_EveryStatus_IsTheTableWord()
    {
        Assert.Equal(["ran", "skipped (complete)", "absent", "interrupted"], Enum.GetValues<StageStatus>().Select(s => s.Display()));
    }
}
