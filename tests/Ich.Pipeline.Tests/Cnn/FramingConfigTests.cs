using Ich.Core.Errors;
using Ich.Core.Scans;
using Ich.TestKit;
using Ich.Training.Cnn;

namespace Ich.Pipeline.Tests.Cnn;

/// <summary>The CNN training config's <c>framing</c>: default, spelling, refusal, and that it separates run folders and caches.</summary>
public class FramingConfigTests
{
    [Fact]
    public void Load_Framing_DefaultFieldHeadReadUnknownRefused()
    {
        Assert.Equal(InputFraming.Field, CnnConfigText.Load("""{ "backbone": "small" }""").Framing);
        Assert.Equal(InputFraming.Head, CnnConfigText.Load("""{ "backbone": "small", "framing": "head" }""").Framing);
        Assert.Equal(InputFraming.Field, CnnConfigText.Load("""{ "backbone": "small", "framing": "field" }""").Framing);
        var ex = Assert.Throws<ConfigException>(() => CnnConfigText.Load("""{ "backbone": "small", "framing": "zoom" }"""));
        Assert.Contains("framing", ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Throws<ConfigException>(() => CnnConfigText.Load("""{ "backbone": "small", "framing": 7 }"""));
    }

    /// <summary>
    /// A run folder is reused only when its config.json serialises equal (<c>ich train all</c>), so the two framings must
    /// serialise differently; and a slice table's images belong to the framing it was made with.
    /// </summary>
    [Fact]
    public void Framing_SeparatesRunConfigsAndSliceCaches()
    {
        var field = new CnnTrainConfig();
        var head = field with { Framing = InputFraming.Head };
        Assert.NotEqual(field.ToJson(), head.ToJson());
        Assert.Contains("\"framing\": \"head\"", head.ToJson());

        var scan = TinyScans.OffCentre(1, 3, size: 40, field: 96, x: 50, y: 6, seed: 3)[0];
        var fieldTable = new SliceTable([scan], 32);
        var headTable = new SliceTable([scan], 32, InputFraming.Head);
        Assert.Equal(InputFraming.Field, fieldTable.Framing);
        Assert.Same(Ich.Imaging.HeadFrame.Field, fieldTable.Frame(0));
        Assert.Equal(Ich.Imaging.HeadFrameKind.Head, headTable.Frame(0).Kind);
        Assert.NotEqual(fieldTable.Image(1), headTable.Image(1));
    }
}
