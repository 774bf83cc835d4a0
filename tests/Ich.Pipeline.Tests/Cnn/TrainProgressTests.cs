using Ich.Training.Cnn;

namespace Ich.Pipeline.Tests.Cnn;

/// <summary>The console label of each progress phase is built from the structured fields (the CLI shows it; code reads the fields).</summary>
public class TrainProgressTests
{
    [Fact]
    public void Display_FoldPhases_NameFoldAndEpochFromTheFields()
    {
        Assert.Equal("fold 0 epoch 2/10", new TrainProgress(TrainPhase.TrainEpoch, 1, 50) { Fold = 0, Epoch = 2, Epochs = 10 }.Display);
        Assert.Equal("fold 3 epoch 1 validation", new TrainProgress(TrainPhase.Validation, 5, 9) { Fold = 3, Epoch = 1 }.Display);
        Assert.Equal("OOF features fold 4", new TrainProgress(TrainPhase.OofFeatures, 0, 9) { Fold = 4 }.Display);
    }

    [Fact]
    public void Display_EveryPhase_HasItsOwnLabel()
    {
        var labels = Enum.GetValues<TrainPhase>().Select(p => new TrainProgress(p, 0, 1) { Fold = 1, Epoch = 1, Epochs = 1 }.Display).ToList();
        Assert.Equal(labels.Count, labels.Distinct().Count());
        Assert.DoesNotContain(labels, l => Enum.GetNames<TrainPhase>().Contains(l)); // no phase falls back to its enum name
    }
}
