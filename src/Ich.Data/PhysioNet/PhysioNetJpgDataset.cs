using System.Globalization;
using Ich.Core.Errors;
using Ich.Core.Labels;
using Ich.Core.Scans;
using Ich.Data.Catalog;

namespace Ich.Data.PhysioNet;

/// <summary>
/// PhysioNet CT-ICH v1.0.0 JPG export: <c>Patients_CT/NNN/brain/S.jpg</c> and <c>.../bone/S.jpg</c>
/// (650×650 gray) + <c>hemorrhage_diagnosis.csv</c>. One scan per patient; slices lowest first
/// (SliceNumber 1 = lowest), 5 mm apart; HU rebuilt from the window pair with a per-scan fitted
/// bone mapping (<see cref="BoneWindowFit"/>). Slices whose brain or bone image is missing, image
/// files without a label row and patients without a folder are reported and skipped. A single patient
/// folder (<c>brain/</c> + <c>bone/</c>, no label file) opens as one unlabelled scan
/// (<see cref="OpenPatient"/>): the one place a PhysioNet scan is built, for training and prediction alike.
/// </summary>
public static class PhysioNetJpgDataset
{
    public const string LabelFile = "hemorrhage_diagnosis.csv";
    public const string PatientsFolder = "Patients_CT";
    public const double SliceThicknessMm = 5.0;

    /// <summary>Indexes the dataset (reads the CSV and lists files; no pixels are decoded).</summary>
    /// <param name="root">Folder holding <c>hemorrhage_diagnosis.csv</c> and <c>Patients_CT/</c>, or one patient folder (<see cref="IsPatientFolder"/>).</param>
    /// <param name="report">Receives what was skipped or adjusted.</param>
    public static IReadOnlyList<ScanRecord> Open(string root, LoadReport report)
    {
        var csv = Path.Combine(root, LabelFile);
        var patientsDir = Path.Combine(root, PatientsFolder);
        if (!Directory.Exists(root)) throw new DatasetFormatException("dataset folder not found", root);
        if (!Directory.Exists(patientsDir) && IsPatientFolder(root)) return [OpenPatient(root, report)];
        if (!File.Exists(csv)) throw new DatasetFormatException($"label file {LabelFile} not found", csv);
        if (!Directory.Exists(patientsDir)) throw new DatasetFormatException($"image folder {PatientsFolder}/ not found", patientsDir);

        var labels = PhysioNetLabelFile.Read(csv).NotedIn(report).Items.Values;
        var byPatient = labels.GroupBy(l => l.Patient).OrderBy(g => g.Key);
        var scans = new List<ScanRecord>();
        var labelledPatients = new HashSet<string>(StringComparer.Ordinal);
        foreach (var group in byPatient)
        {
            var id = PhysioNetLabelFile.PatientId(group.Key);
            labelledPatients.Add(id);
            var dir = Path.Combine(patientsDir, id);
            if (!Directory.Exists(dir))
            {
                report.Skip(dir, id, $"patient folder missing ({group.Count()} labelled slices, first on line {group.Min(l => l.Line)} of {LabelFile})");
                continue;
            }
            var available = new List<SlicePair>();
            foreach (var label in group.OrderBy(l => l.Slice))
            {
                var brain = Path.Combine(dir, "brain", $"{label.Slice}.jpg");
                var bone = Path.Combine(dir, "bone", $"{label.Slice}.jpg");
                var missing = new[] { brain, bone }.Where(p => !File.Exists(p)).ToArray();
                if (missing.Length > 0)
                {
                    report.Skip(missing[0], $"{id}/{label.Slice}",
                        $"labelled slice without image: missing {string.Join(" and ", missing.Select(m => Path.GetRelativePath(root, m)))}",
                        label.Line);
                    continue;
                }
                available.Add(new SlicePair(label.Slice, label.Labels, brain, bone));
            }
            ReportUnlabelledImages(dir, id, group.Select(l => l.Slice).ToHashSet(), report);
            if (available.Count == 0)
            {
                report.Skip(dir, id, "no slice has both images");
                continue;
            }
            scans.Add(BuildScan(id, available, report));
        }
        foreach (var dir in Directory.EnumerateDirectories(patientsDir).Order(StringComparer.Ordinal))
            if (!labelledPatients.Contains(Path.GetFileName(dir)))
                report.Skip(dir, Path.GetFileName(dir), $"patient folder has no rows in {LabelFile}");
        return scans;
    }

    /// <summary>True for a folder holding <c>brain/</c> and <c>bone/</c>: one patient of the export.</summary>
    public static bool IsPatientFolder(string dir) =>
        Directory.Exists(Path.Combine(dir, "brain")) && Directory.Exists(Path.Combine(dir, "bone"));

    /// <summary>
    /// One patient folder (<c>brain/N.jpg</c> + <c>bone/N.jpg</c>, N = slice number, 1 = lowest) as an unlabelled
    /// scan; ScanId = PatientId = the folder name. Brain images without a bone partner are reported and skipped;
    /// a folder without any pair is a <see cref="DatasetFormatException"/>.
    /// </summary>
    public static ScanRecord OpenPatient(string dir, LoadReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var id = Path.GetFileName(Path.GetFullPath(dir).TrimEnd(Path.DirectorySeparatorChar));
        var pairs = new List<SlicePair>();
        foreach (var brain in Directory.EnumerateFiles(Path.Combine(dir, "brain"), "*.jpg"))
        {
            if (!int.TryParse(Path.GetFileNameWithoutExtension(brain), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                continue;
            var bone = Path.Combine(dir, "bone", $"{n}.jpg");
            if (File.Exists(bone)) pairs.Add(new SlicePair(n, null, brain, bone));
            else report.Skip(brain, $"{id}/{n}", "brain image without bone/ partner");
        }
        if (pairs.Count == 0) throw new DatasetFormatException("PhysioNet patient folder without brain/N.jpg + bone/N.jpg pairs", dir);
        return BuildScan(id, pairs.OrderBy(p => p.Slice).ToList(), report);
    }

    /// <summary>One slice's two window images and its labels (null when unlabelled).</summary>
    private sealed record SlicePair(int Slice, float[]? Labels, string Brain, string Bone);

    private static ScanRecord BuildScan(string id, List<SlicePair> available, LoadReport report)
    {
        var pairs = available.Select(a => (a.Brain, a.Bone)).ToArray();
        var lookup = new Lazy<float[]>(() => WindowPairHu.Lookup(FitScan(id, pairs, report)), LazyThreadSafetyMode.ExecutionAndPublication);
        var slices = new SliceRecord[available.Count];
        for (var i = 0; i < available.Count; i++)
        {
            var (slice, labels, brain, bone) = available[i];
            slices[i] = new SliceRecord(
                SliceId: slice.ToString(CultureInfo.InvariantCulture),
                Index: i,
                ZMm: (slice - 1) * SliceThicknessMm,
                Labels: labels,
                LoadHu: () => LoadPair(brain, bone, lookup.Value),
                SourcePath: brain);
        }
        return new ScanRecord(DatasetKind.PhysioNet, id, id, slices, null, SliceThicknessMm)
        {
            HuSource = HuSource.RebuiltFromDisplayWindows,
        };
    }

    /// <summary>
    /// The fitted bone mapping of a scan from up to five slices between 30 % and 70 % of its height
    /// (plenty of brain tissue there); the nominal mapping, reported, when the fit is not possible.
    /// Deviations from nominal larger than 10 % in slope or 2 gray levels in intercept are reported.
    /// </summary>
    public static BoneMapping FitScan(string scanId, IReadOnlyList<(string Brain, string Bone)> pairs, LoadReport? report = null)
    {
        var picks = new[] { 0.3, 0.4, 0.5, 0.6, 0.7 }.Select(q => (int)(q * pairs.Count)).Distinct()
            .Where(i => i >= 0 && i < pairs.Count).Select(i => pairs[i]).ToArray();
        var decoded = new List<(byte[], byte[])>();
        int width = 0, height = 0;
        foreach (var (brainPath, bonePath) in picks)
        {
            byte[] brain, bone;
            int bw, bh, ow, oh;
            try
            {
                (brain, bw, bh) = GrayJpeg.Decode(brainPath);
                (bone, ow, oh) = GrayJpeg.Decode(bonePath);
            }
            catch (ImageFormatException e)
            {
                // The slice itself fails (and names the file) when it is loaded; the fit uses the others.
                report?.Note(e.Path, scanId, $"not used for the bone-window fit: {e.Reason}");
                continue;
            }
            if (bw != ow || bh != oh) continue; // LoadPair reports this when the slice is loaded
            if (decoded.Count > 0 && (bw != width || bh != height)) continue;
            width = bw; height = bh;
            decoded.Add((brain, bone));
        }
        var (fit, blocks) = decoded.Count == 0 ? (null, 0) : BoneWindowFit.Fit(decoded, width, height);
        if (fit is null)
        {
            report?.Adjust(picks.FirstOrDefault().Brain, scanId,
                $"bone-window mapping could not be fitted ({blocks} usable 8x8 blocks, need {BoneWindowFit.MinBlocks}); nominal window 700/3200 used");
            return BoneMapping.Nominal;
        }
        var m = fit.Value;
        var nominal = BoneMapping.Nominal;
        var slopeRatio = m.Slope / nominal.Slope;
        var midShift = m.Slope * 128 + m.Intercept - (nominal.Slope * 128 + nominal.Intercept);
        if (Math.Abs(slopeRatio - 1) > 0.10 || Math.Abs(midShift) > 2)
        {
            var (low, perGray) = m.ImpliedBoneWindow;
            report?.Adjust(picks[0].Brain, scanId,
                FormattableString.Invariant($"bone window differs from the nominal 700/3200: fitted gray_bone = {m.Slope:0.0000}·gray_brain + {m.Intercept:0.00} (nominal 0.0375·g + 70.13), i.e. gray 0 = {low:0} HU, {perGray:0.0} HU per level; fitted mapping used"));
        }
        return m;
    }

    /// <summary>Decodes one slice's pair and rebuilds HU with the given mapping.</summary>
    public static HuImage LoadPair(string brainPath, string bonePath, BoneMapping mapping) =>
        LoadPair(brainPath, bonePath, WindowPairHu.Lookup(mapping));

    private static HuImage LoadPair(string brainPath, string bonePath, float[] lookup)
    {
        var (brain, w, h) = GrayJpeg.Decode(brainPath);
        var (bone, ow, oh) = GrayJpeg.Decode(bonePath);
        if (w != ow || h != oh)
            throw new ImageFormatException($"bone image is {ow}x{oh} but brain image {brainPath} is {w}x{h}", bonePath);
        return new HuImage(w, h, WindowPairHu.Rebuild(brain, bone, lookup));
    }

    private static void ReportUnlabelledImages(string dir, string id, HashSet<int> labelled, LoadReport report)
    {
        foreach (var window in new[] { "brain", "bone" })
        {
            var folder = Path.Combine(dir, window);
            if (!Directory.Exists(folder)) continue;
            foreach (var file in Directory.EnumerateFiles(folder, "*.jpg").Order(StringComparer.Ordinal))
            {
                var stem = Path.GetFileNameWithoutExtension(file);
                if (!int.TryParse(stem, NumberStyles.None, CultureInfo.InvariantCulture, out var s))
                    report.Skip(file, id, "file name is not a slice number");
                else if (!labelled.Contains(s))
                    report.Skip(file, $"{id}/{s}", $"image without a row in {LabelFile}");
            }
        }
    }
}
