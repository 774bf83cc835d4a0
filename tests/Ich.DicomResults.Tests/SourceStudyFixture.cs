using System.Text;
using Ich.Core;
using Ich.Core.Scans;
using Ich.Dicom.Model;
using Ich.Dicom.Writing;
using Ich.DicomResults.Input;

namespace Ich.DicomResults.Tests;

/// <summary>
/// A small source study written with the project's own CT writer (<see cref="CtImageDataset"/>): 6 slices of
/// 64×64, a skull ring, brain at 35 HU and a 70 HU bleed on slices 2-3. The patient name and referring
/// physician are non-ASCII, encoded in the chosen Specific Character Set.
/// </summary>
public sealed class SourceStudyFixture
{
    public const int SliceCount = 6;
    public const int Size = 64;

    public required string Folder { get; init; }
    public required IReadOnlyList<string> Paths { get; init; }
    public required string StudyUid { get; init; }
    public required string CharacterSet { get; init; }

    /// <summary>The patient name as text (its bytes in the file follow <see cref="CharacterSet"/>).</summary>
    public required string PatientName { get; init; }

    /// <param name="characterSet">"ISO_IR 100" (Latin-1) or "ISO_IR 192" (UTF-8).</param>
    public static SourceStudyFixture Create(string folder, string characterSet = "ISO_IR 100")
    {
        Directory.CreateDirectory(folder);
        var (encoding, name, physician) = characterSet switch
        {
            "ISO_IR 100" => (Encoding.Latin1, "Ångström^Zoë", "Müller^Jürgen"),
            "ISO_IR 192" => (Encoding.UTF8, "Ωmega^Łukasz=山田^太郎", "Müller^Jürgen"),
            _ => throw new ArgumentException("unsupported fixture charset", nameof(characterSet)),
        };
        string study = DicomUids.NewRandom(), series = DicomUids.NewRandom(), frame = DicomUids.NewRandom();
        var paths = new List<string>();
        for (var i = 0; i < SliceCount; i++)
        {
            var d = new CtImageDescription
            {
                PatientId = "ICHRES01", PatientName = "placeholder", StudyInstanceUid = study, SeriesInstanceUid = series,
                SopInstanceUid = DicomUids.NewRandom(), FrameOfReferenceUid = frame, Rows = Size, Columns = Size,
                PixelSpacing = (1.0, 1.0), ImagePosition = (-32, -32, 5.0 * i), ImageOrientation = [1, 0, 0, 0, 1, 0],
                SliceThicknessMm = 5, Encoding = new CtPixelEncoding(16, true, -1024), InstanceNumber = i + 1,
                StudyDate = "20240305", StudyTime = "101500", AccessionNumber = "ACC-77", StudyId = "S1",
            };
            var hu = Hu(i);
            var stored = hu.Select(d.Encoding.ToStored).ToArray();
            var ds = CtImageDataset.Build(d, stored);
            ds.Set(DicomElements.Text(DicomTags.SpecificCharacterSet, DicomVR.CS, characterSet));
            ds.Set(new DicomElement(DicomTags.PatientName, DicomVR.PN, encoding.GetBytes(name)));
            ds.Set(new DicomElement(DicomTags.ReferringPhysicianName, DicomVR.PN, encoding.GetBytes(physician)));
            ds.Set(DicomElements.Text(DicomTags.PatientBirthDate, DicomVR.DA, "19611224"));
            ds.Set(DicomElements.Text(DicomTags.PatientSex, DicomVR.CS, "F"));
            var path = Path.Combine(folder, $"ct_{i + 1:D3}.dcm");
            DicomFileWriter.Write(path, ds, TransferSyntaxes.ExplicitVRLittleEndian);
            paths.Add(path);
        }
        return new SourceStudyFixture { Folder = folder, Paths = paths, StudyUid = study, CharacterSet = characterSet, PatientName = name };
    }

    /// <summary>The HU plane of slice <paramref name="i"/>.</summary>
    public static float[] Hu(int i)
    {
        var hu = new float[Size * Size];
        for (var y = 0; y < Size; y++)
        for (var x = 0; x < Size; x++)
        {
            var r = Math.Sqrt((x - 32) * (x - 32) + (y - 32) * (y - 32));
            float v = r < 26 ? 35 : r < 28 ? 1000 : -1000;
            if (i is 2 or 3 && Math.Sqrt((x - 42) * (x - 42) + (y - 24) * (y - 24)) < 5) v = 70;
            hu[y * Size + x] = v;
        }
        return hu;
    }

    /// <summary>A saliency map (16×16, absolute 0..1) peaking at the bleed on slices 2-3, low elsewhere.</summary>
    public static float[] Saliency(int i)
    {
        var map = new float[16 * 16];
        for (var y = 0; y < 16; y++)
        for (var x = 0; x < 16; x++)
        {
            var d = Math.Sqrt((x - 10.5) * (x - 10.5) + (y - 6) * (y - 6));
            map[y * 16 + x] = (float)((i is 2 or 3 ? 0.95 : 0.15) * Math.Exp(-d * d / 8));
        }
        return map;
    }

    /// <summary>
    /// The result input for this study: "any" and "intraparenchymal" present with top slices 2, 3; the
    /// other classes absent; pictures for every slice (so both Keys and Full modes can run).
    /// </summary>
    public StudyResultInput ResultInput()
    {
        var (identity, series) = SourceStudyReader.FromFiles(Paths);
        ClassFinding F(string c, double p, bool present, params int[] top) => new(c, p, 0.5, present, top);
        return new StudyResultInput
        {
            Study = identity,
            Series = series,
            Algorithm = new AlgorithmInfo("ich default", "2.1.0", ["ensemble: resnet18 x5 folds + SeqModel1/2", "input: brain/subdural/bone windows"]),
            Findings =
            [
                F("any", 0.9375, true, 2, 3),
                F("epidural", 0.0123, false, 0),
                F("intraparenchymal", 0.8125, true, 3, 2),
                F("intraventricular", 0.0456, false, 5),
                F("subarachnoid", 0.25, false, 1),
                F("subdural", 0.0789, false, 4),
            ],
            Slices = Enumerable.Range(0, SliceCount)
                .Select(i => new SliceImage(i, new HuImage(Size, Size, Hu(i), 1.0), Saliency(i), 16, 16, i is 2 or 3 ? "any p=0.94" : null))
                .ToArray(),
            CreatedAt = new DateTime(2024, 3, 5, 11, 22, 33, DateTimeKind.Local),
        };
    }
}
