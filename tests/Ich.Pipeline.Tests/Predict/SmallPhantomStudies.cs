using Ich.Synth;

namespace Ich.Pipeline.Tests.Predict;

/// <summary>One small phantom study on disk: its folder, its CT files and their SOP Instance UIDs.</summary>
internal sealed record PhantomStudy(string StudyUid, string Folder, IReadOnlyList<string> Files, IReadOnlyList<string> SopUids);

/// <summary>
/// Small head-CT phantom studies (Ich.Synth, what <c>ich synth</c> writes) cut down to a few contiguous slices, so a
/// test can run the real model on many studies within a couple of minutes: 64×64 pixels, 5 mm slices, and of
/// each rendered scan only the <c>slices</c> consecutive slices around its first bleeding slice (or its middle).
/// </summary>
internal static class SmallPhantomStudies
{
    public const int Size = 64;

    /// <summary>Writes <paramref name="count"/> studies under <paramref name="root"/>/&lt;scan id&gt;/ (seed fixed, so the files are the same every run).</summary>
    public static IReadOnlyList<PhantomStudy> Write(string root, int count, Func<int, int> slicesOf, ulong seed = 15)
    {
        var options = new SynthOptions { Seed = seed, Size = Size, ThicknessMm = 5 };
        var studies = new List<PhantomStudy>(count);
        for (var i = 0; i < count; i++)
        {
            var folder = Path.Combine(root, PhantomGenerator.ScanIdFor(options, i));
            var scan = PhantomGenerator.WriteScan(options, i, folder);
            var keep = Math.Min(slicesOf(i), scan.Plan.SliceCount);
            var firstBleed = scan.Slices.FirstOrDefault(s => s.Any)?.Index ?? scan.Plan.SliceCount / 2;
            var start = Math.Clamp(firstBleed - keep / 2, 0, scan.Plan.SliceCount - keep);
            var kept = Enumerable.Range(start, keep).ToList();
            for (var k = 0; k < scan.Plan.SliceCount; k++)
                if (!kept.Contains(k)) File.Delete(Path.Combine(folder, scan.Plan.FileNames[k]));
            studies.Add(new PhantomStudy(scan.Plan.StudyUid, folder,
                kept.Select(k => Path.Combine(folder, scan.Plan.FileNames[k])).ToList(),
                kept.Select(k => scan.Plan.SopUids[k]).ToList()));
        }
        return studies;
    }
}
