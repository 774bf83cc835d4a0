using System.Collections.Concurrent;
using Ich.Core.Errors;
using Ich.Core.Scans;
using Ich.Imaging;
using Ich.Synth;
using Ich.Synth.Insertion;

namespace Ich.Training.Cnn;

/// <summary>
/// Real masked bleeds that one fold may cut and paste into its negative training slices
/// (<see cref="BleedPaste"/>): the positive slices of the fold's <em>training</em> scans whose dataset ships a real
/// blood mask (<see cref="KnownMasks.RealMaskPath"/>). A validation scan never donates, so no bleed of a scored
/// patient is seen in training. Donors are held at the same working resolution as the hosts, loaded once.
/// </summary>
public sealed class BleedDonors
{
    private readonly SliceTable _table;
    private readonly double _assumedSpacingMm;
    private readonly ConcurrentDictionary<int, Lazy<(HostAnatomy Anatomy, byte[] Mask)?>> _loaded = new();

    private BleedDonors(SliceTable table, int[] indices, double assumedSpacingMm)
    {
        _table = table;
        Indices = indices;
        _assumedSpacingMm = assumedSpacingMm;
    }

    /// <summary>Table indices of the donor slices.</summary>
    public IReadOnlyList<int> Indices { get; }

    /// <summary>The donors among the slices of <paramref name="trainScans"/> (scan indices of the table).</summary>
    public static BleedDonors For(SliceTable table, IEnumerable<int> trainScans, double assumedSpacingMm)
    {
        var indices = new List<int>();
        foreach (var s in trainScans)
            for (var i = 0; i < table.Scans[s].Slices.Count; i++)
            {
                var index = table.ScanStarts[s] + i;
                if (table.IsPositive(index) && KnownMasks.RealMaskPath(table.Scans[s], table.Scans[s].Slices[i]) is not null)
                    indices.Add(index);
            }
        return new BleedDonors(table, indices.ToArray(), assumedSpacingMm);
    }

    /// <summary>
    /// Pastes the bleed of a randomly drawn donor into <paramref name="host"/> (found at working resolution);
    /// tries up to three donors, since a host may have no plausible place for one donor's bleed (a large extra-axial
    /// bleed in a small head, say). Null when none fits. A donor whose own anatomy cannot be found (open skull) is
    /// remembered as unusable: its attempt is skipped without another search. Safe to call from several threads.
    /// </summary>
    public InsertedBleed? TryPaste(HostAnatomy host, Random rng, string? name)
    {
        if (Indices.Count == 0) return null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var donor = Indices[rng.Next(Indices.Count)];
            var seed = (ulong)rng.NextInt64();
            if (_loaded.GetOrAdd(donor, i => new Lazy<(HostAnatomy, byte[])?>(() => Load(i))).Value is not var (anatomy, mask)) continue;
            try
            {
                return BleedPaste.Paste(anatomy, mask, _table.Slices[donor].Labels!, host, new SynthRandom(seed), name);
            }
            catch (InsertionHostException) { }
        }
        return null;
    }

    private (HostAnatomy Anatomy, byte[] Mask)? Load(int index)
    {
        var r = _table.Slices[index];
        var scan = _table.Scans[r.Scan];
        var slice = scan.Slices[r.Slice];
        var full = _table.SliceHu(index);
        var path = KnownMasks.RealMaskPath(scan, slice)!;
        var values = KnownMasks.ReadMaskPixels(path, out var mw, out var mh);
        if (mw != full.Width || mh != full.Height)
            throw new ImageFormatException($"mask is {mw}×{mh} but its slice is {full.Width}×{full.Height}", path);
        var hu = InsertionResolution.Working(full, _table.ImageSize, _assumedSpacingMm, _table.Frame(r.Scan));
        var resized = Resample.Bilinear(values, full.Width, full.Height, hu.Width, hu.Height);
        var mask = resized.Select(v => v >= 0.5f ? (byte)1 : (byte)0).ToArray();
        try { return (HostAnatomy.Find(hu, path), mask); }
        catch (InsertionHostException) { return null; }
    }
}
