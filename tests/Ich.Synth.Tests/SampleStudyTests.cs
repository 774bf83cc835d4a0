using Ich.TestKit;

namespace Ich.Synth.Tests;

public class SampleStudyTests
{
    /// <summary>samples/phantom-study must be exactly what its documented command line makes.</summary>
    [Fact]
    public void SampleStudy_DocumentedCommand_ReproducesTheCommittedBytes()
    {
        var sample = Path.Combine(RepoPaths.Root, "samples", "phantom-study");
        // ./ich synth --out samples/phantom-study --scans 1 --seed 5 --size 256 --thickness 5
        var options = new SynthOptions { Seed = 5, Size = 256, ThicknessMm = SynthOptions.ParseThickness("5") };
        var dir = RepoPaths.NewTempDir("ich-sample");
        var scan = Assert.Single(PhantomGenerator.Write(options, dir, 1));
        var generated = Directory.GetFiles(dir, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(dir, f)).Order().ToList();
        var committed = Directory.GetFiles(sample, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(sample, f))
            .Where(f => f != "README.md").Order().ToList();
        Assert.Equal(generated, committed);
        foreach (var file in generated)
            Assert.True(File.ReadAllBytes(Path.Combine(dir, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(sample, file))), file);
        Assert.InRange(scan.Plan.SliceCount, 20, 28);
        Assert.True(scan.Any, "the sample study must contain a bleed");
        Assert.True(committed.Sum(f => new FileInfo(Path.Combine(sample, f)).Length) <= 4 * 1024 * 1024);
        Directory.Delete(dir, true);
    }
}
