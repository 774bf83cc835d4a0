using Ich.Training.Cnn;
using Ich.TestKit;

namespace Ich.Pipeline.Tests.Cnn;

/// <summary>Loads a CNN training config from JSON text through a temporary file, as <c>ich train cnn</c> reads one.</summary>
internal static class CnnConfigText
{
    public static CnnTrainConfig Load(string json)
    {
        var dir = RepoPaths.NewTempDir("ich-cnn-config");
        try
        {
            var path = Path.Combine(dir, "cnn.json");
            File.WriteAllText(path, json);
            return CnnTrainConfig.Load(path);
        }
        finally { Directory.Delete(dir, true); }
    }
}
