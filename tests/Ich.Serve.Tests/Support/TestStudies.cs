using Ich.Dicom.Model;
using Ich.Dicom.Writing;

namespace Ich.Serve.Tests.Support;

/// <summary>One generated CT instance: its Part 10 bytes and the mean of the stored pixel values written into it.</summary>
public sealed record TestInstance(string StudyUid, string SopUid, int InstanceNumber, byte[] Bytes, double StoredMean);

/// <summary>
/// Small synthetic CT studies for the service tests. The pixel values follow a formula chosen here, so
/// the expected result of the test double processor (mean stored value / 4096 per slice) is computed by
/// the test from the values it generated, independently of the service and of the DICOM reader.
/// </summary>
public static class TestStudies
{
    public const int Size = 16;

    public static IReadOnlyList<TestInstance> Make(int seed, int slices, string accession = "", int brightness = 0)
    {
        var study = DicomUids.FromSeed((ulong)seed, "serve test study");
        var series = DicomUids.FromSeed((ulong)seed, "serve test series");
        var list = new List<TestInstance>();
        for (var s = 0; s < slices; s++)
        {
            var stored = new short[Size * Size];
            long sum = 0;
            for (var i = 0; i < stored.Length; i++)
            {
                stored[i] = (short)((seed * 131 + s * 17 + i * 7 + brightness) % 4000);
                sum += stored[i];
            }
            var sop = DicomUids.FromSeed((ulong)(seed * 1000 + s), "serve test instance");
            var description = new CtImageDescription
            {
                PatientId = $"PID-{seed}",
                PatientName = $"Secret^Patient{seed}",
                StudyInstanceUid = study,
                SeriesInstanceUid = series,
                SopInstanceUid = sop,
                FrameOfReferenceUid = DicomUids.FromSeed((ulong)seed, "serve test frame"),
                Rows = Size,
                Columns = Size,
                PixelSpacing = (0.5, 0.5),
                ImagePosition = (0, 0, s * 5.0),
                ImageOrientation = [1, 0, 0, 0, 1, 0],
                SliceThicknessMm = 5,
                Encoding = new CtPixelEncoding(12, false, -1024),
                InstanceNumber = s + 1,
                AccessionNumber = accession,
            };
            var bytes = DicomFileWriter.ToBytes(CtImageDataset.Build(description, stored), TransferSyntaxes.ExplicitVRLittleEndian);
            list.Add(new TestInstance(study, sop, s + 1, bytes, (double)sum / stored.Length));
        }
        return list;
    }

    /// <summary>The "any" probability the test double reports for a slice.</summary>
    public static double ExpectedAny(TestInstance instance) => Math.Clamp(instance.StoredMean / 4096, 0, 1);
}
