using Ich.Dicom.Model;
using Ich.Dicom.Pixels;
using Ich.Dicom.Reading;

namespace Ich.Dicom.Tests.Pixels;

public sealed class ModalityTransformTests
{
    private static readonly PixelDescription Signed16 = new() { Rows = 1, Columns = 1, BitsAllocated = 16, BitsStored = 16, IsSigned = true };

    private static DicomDataset Read(DicomBytesBuilder b) => DicomFileReader.Read(b.ToArray(), "m.dcm").Dataset;

    private static DicomBytesBuilder Start() => new DicomBytesBuilder().Preamble().Meta(TransferSyntaxes.ExplicitVRLittleEndian);

    private static byte[] Item(params Func<DicomBytesBuilder, DicomBytesBuilder>[] elements)
    {
        var body = new DicomBytesBuilder();
        foreach (var e in elements) e(body);
        var bytes = body.ToArray();
        return new DicomBytesBuilder().Item((uint)bytes.Length).Raw(bytes).ToArray();
    }

    private static DicomBytesBuilder Sequence(DicomBytesBuilder b, ushort group, ushort element, params byte[][] items)
    {
        var content = items.SelectMany(i => i).ToArray();
        return b.Header(group, element, "SQ", (uint)content.Length).Raw(content);
    }

    [Fact]
    public void FromDataset_TopLevelRescale_IsLinear()
    {
        var t = ModalityTransform.FromDataset(Read(Start().Text(0x0028, 0x1052, "DS", "-1024").Text(0x0028, 0x1053, "DS", "2")), Signed16);
        Assert.Equal(ModalitySource.Rescale, t.Source);
        Assert.Equal(-1024 + 2 * 100, t.Apply(100));
        var hu = new float[2];
        t.Apply([0, -2000], hu);
        Assert.Equal([-1024f, -5024f], hu);
    }

    [Fact]
    public void FromDataset_EnhancedCt_TakesPerFrameBeforeShared()
    {
        var pvt = (string intercept) => Item(b => Sequence(b, 0x0028, 0x9145,
            Item(x => x.Text(0x0028, 0x1052, "DS", intercept), x => x.Text(0x0028, 0x1053, "DS", "1"))));
        var b = Start();
        Sequence(b, 0x5200, 0x9229, pvt("-1000"));
        Sequence(b, 0x5200, 0x9230, Item(x => x.Text(0x0020, 0x0013, "IS", "1")), pvt("-500"));
        var ds = Read(b);
        var frame0 = ModalityTransform.FromDataset(ds, Signed16, frame: 0);
        var frame1 = ModalityTransform.FromDataset(ds, Signed16, frame: 1);
        Assert.Equal(ModalitySource.SharedFunctionalGroups, frame0.Source);
        Assert.Equal(-1000, frame0.Intercept);
        Assert.Equal(ModalitySource.PerFrameFunctionalGroups, frame1.Source);
        Assert.Equal(-500, frame1.Intercept);
    }

    [Fact]
    public void FromDataset_ModalityLutSequence_LooksUpAndClampsWithSignedFirstValue()
    {
        // Descriptor: 3 entries, first stored value 0xFFFE = −2 (signed image), 16 bits; data 100, 200, 300.
        var descriptor = new byte[] { 3, 0, 0xFE, 0xFF, 16, 0 };
        var data = new byte[] { 100, 0, 200, 0, 44, 1 };
        var b = Start();
        Sequence(b, 0x0028, 0x3000, Item(x => x.Element(0x0028, 0x3002, "US", descriptor), x => x.Element(0x0028, 0x3006, "OW", data)));
        var t = ModalityTransform.FromDataset(Read(b), Signed16);
        Assert.Equal(ModalitySource.LookupTable, t.Source);
        Assert.Equal(100, t.Apply(-5)); // below the table: first entry
        Assert.Equal(100, t.Apply(-2));
        Assert.Equal(200, t.Apply(-1));
        Assert.Equal(300, t.Apply(0));
        Assert.Equal(300, t.Apply(9)); // above the table: last entry
    }

    [Fact]
    public void FromDataset_NothingPresent_IsIdentity()
    {
        var t = ModalityTransform.FromDataset(Read(Start().Text(0x0008, 0x0060, "CS", "MR")), Signed16);
        Assert.Equal(ModalitySource.None, t.Source);
        Assert.Equal(-7, t.Apply(-7));
    }
}
