using Ich.Application.TrainAll;
using Ich.TestKit;

namespace Ich.Pipeline.Tests.TrainAll;

/// <summary>What of a run's out-of-fold files ships in the model folder: every dataset's answer, the stages of all but the phantoms.</summary>
public class OofEvidenceTests
{
    [Fact]
    public void Records_ShipEveryAnswer_AndTheStagesOfTheRealDatasetsOnly()
    {
        var dir = RepoPaths.NewTempDir("ich-oof-evidence");
        string Write(string folder, string name, string text)
        {
            Directory.CreateDirectory(Path.Combine(dir, folder));
            var path = Path.Combine(dir, folder, name);
            File.WriteAllText(path, text);
            return path;
        }
        var answers = new[] { Write("answer_oof", "phantom.csv", "answer of phantoms"), Write("answer_oof", "physionet.csv", "answer of physionet") };
        var stages = new[] { Write("stages_oof", "phantom.csv", "stages of phantoms"), Write("stages_oof", "physionet.csv", "stages of physionet") };

        var records = OofEvidence.Records(answers, stages);

        Assert.Equal(["oof/answer/phantom.csv", "oof/answer/physionet.csv", "oof/stages/physionet.csv"], records.Keys);
        Assert.Equal("answer of phantoms", records["oof/answer/phantom.csv"]);
        Assert.Equal("answer of physionet", records["oof/answer/physionet.csv"]);
        Assert.Equal("stages of physionet", records["oof/stages/physionet.csv"]);
        Directory.Delete(dir, true);
    }
}
