using Ich.Training.Sequence;

namespace Ich.Pipeline.Tests.Seq;

/// <summary>
/// A recorded sequence fingerprint matches the current settings by meaning: an option the recording predates matches
/// at its default and only there; every other difference is another training.
/// </summary>
public sealed class SettingsFingerprintTests : IDisposable
{
    private readonly string _dir = TinySeqRun.NewFolderWithStore();

    public void Dispose() => Directory.Delete(_dir, true);

    private SeqTrainConfig Config => TinySeqRun.Config(_dir, "run");

    private string Current => SettingsFingerprint.Of(Config);

    [Fact]
    public void SameSettings_Match()
    {
        Assert.True(SettingsFingerprint.Matches(Current, SettingsFingerprint.Of(Config)));
        Assert.True(SettingsFingerprint.Matches(Current + "|fold 1", Current + "|fold 1"));
    }

    [Fact]
    public void RecordingWithoutANewerOption_MatchesOnlyWhileItIsAtItsDefault()
    {
        var older = OlderFingerprint.WithoutNetworkOption(Current, "stage2CnnProbabilities");
        Assert.NotEqual(Current, older);

        Assert.True(SettingsFingerprint.Matches(older, Current));
        Assert.True(SettingsFingerprint.Matches(older + "|system alpha|fold 0", Current + "|system alpha|fold 0"));
        var away = SettingsFingerprint.Of(Config with { Network = Config.Network with { Stage2CnnProbabilities = false } });
        Assert.False(SettingsFingerprint.Matches(older, away));
    }

    [Fact]
    public void NewerTopLevelOption_AtItsDefault_Matches_SetAway_DoesNot()
    {
        var older = OlderFingerprint.Edit(Current, c => Assert.True(c.Remove("threads")));

        Assert.True(SettingsFingerprint.Matches(older, Current));
        Assert.False(SettingsFingerprint.Matches(older, SettingsFingerprint.Of(Config with { Threads = 1 })));
    }

    [Fact]
    public void NewerOptionInsideASectionTheDefaultsLeaveEmpty_DoesNotMatch()
    {
        // The defaults have no probability jitter, so nothing says what an option added inside it defaulted to.
        var jittered = SettingsFingerprint.Of(Config with { ProbabilityJitter = new ProbabilityJitter { Scale = 0.3, Offset = 1 } });
        var older = OlderFingerprint.Edit(jittered, c => Assert.True(c["probabilityJitter"]!.AsObject().Remove("offset")));

        Assert.False(SettingsFingerprint.Matches(older, jittered));
    }

    [Fact]
    public void ChangedValue_OrChangedDefaultTheRecordingHolds_DoesNotMatch()
    {
        Assert.False(SettingsFingerprint.Matches(Current, SettingsFingerprint.Of(Config with { Epochs = 3 })));
        // The recording holds the value it was trained with: a default changed since is another training.
        var trainedAt04 = OlderFingerprint.Edit(Current, c => c["reverseProbability"] = 0.4);
        Assert.False(SettingsFingerprint.Matches(trainedAt04, Current));
    }

    [Fact]
    public void OptionTheCodeNoLongerHas_DoesNotMatch()
    {
        var older = OlderFingerprint.Edit(Current, c => c["retiredOption"] = 1);

        Assert.False(SettingsFingerprint.Matches(older, Current));
    }

    [Fact]
    public void OtherStoresOrSuffix_DoNotMatch()
    {
        var older = OlderFingerprint.WithoutNetworkOption(Current, "stage2CnnProbabilities");
        File.SetLastWriteTimeUtc(Path.Combine(_dir, "alpha", "meta.json"), new DateTime(2021, 1, 1, 0, 0, 0, DateTimeKind.Utc));

        Assert.False(SettingsFingerprint.Matches(older, Current)); // the CNN stage was rewritten since
        Assert.False(SettingsFingerprint.Matches(Current + "|threads 1", Current + "|threads 2"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("{ not json")]
    [InlineData("another run")]
    [InlineData("""{"config": 5, "stores": []}""")]
    [InlineData("""{"stores": []}""")]
    public void Unparsable_DoesNotMatch(string recorded) => Assert.False(SettingsFingerprint.Matches(recorded, Current));
}
