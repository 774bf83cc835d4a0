using Ich.Synth;
using Ich.TestKit;

namespace Ich.Synth.Tests;

/// <summary>
/// A small phantom dataset written once for the tests of this class: scans chosen so that every
/// pixel encoding and both transfer syntaxes occur, at 128 × 128 and 5 mm so the tests stay quick.
/// </summary>
public sealed class PhantomFixture : IDisposable
{
    public static readonly SynthOptions Options = new() { Seed = 7, Size = 128, ThicknessMm = 5 };

    public PhantomFixture()
    {
        Dir = RepoPaths.NewTempDir("ich-synth");
        // Scans 0..N-1 are the dataset; N is chosen so that every encoding kind and both syntaxes appear.
        var kinds = new HashSet<string>();
        var n = 0;
        while (kinds.Count < 8 && n < 60)
        {
            var plan = ScanPlanner.Plan(Options, n++);
            kinds.Add($"{plan.Encoding}/{plan.ImplicitVr}");
        }
        ScanCount = n;
        Scans = PhantomGenerator.Write(Options, Dir, ScanCount);
    }

    public string Dir { get; }
    public int ScanCount { get; }
    public IReadOnlyList<PhantomScan> Scans { get; }

    public string ScanDir(PhantomScan scan) => Path.Combine(Dir, scan.Plan.ScanId);

    public void Dispose()
    {
        try { Directory.Delete(Dir, true); } catch (IOException) { }
    }
}
