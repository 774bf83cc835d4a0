using Ich.Dicom.Model;
using Ich.Dicom.Series;
using static Ich.Dicom.Tests.Hu.HandBuilt;

namespace Ich.Dicom.Tests.Series;

public class SliceHeaderTests
{
    [Fact]
    public void FromDataset_HandBuiltHeader_ReadsGeometryAndIdentity()
    {
        var ds = Image(12, 0, rows: 512, columns: 512);
        ds.Set(Text(DicomTags.SOPInstanceUID, DicomVR.UI, "1.2.3.4"));
        ds.Set(Text(DicomTags.SeriesInstanceUID, DicomVR.UI, "1.2.3"));
        ds.Set(Text(DicomTags.ImagePositionPatient, DicomVR.DS, "-125.0\\-123.54\\5.836"));
        ds.Set(Text(DicomTags.ImageOrientationPatient, DicomVR.DS, "1\\0\\0\\0\\0.9483237\\-0.3173047"));
        ds.Set(Text(DicomTags.SliceThickness, DicomVR.DS, "4.0"));
        ds.Set(Text(DicomTags.ImageType, DicomVR.CS, "ORIGINAL\\PRIMARY\\LOCALIZER"));
        ds.Set(Text(DicomTags.InstanceNumber, DicomVR.IS, "00012"));

        var h = SliceHeader.FromDataset("/x.dcm", ds);

        Assert.Equal("1.2.3.4", h.SopInstanceUid);
        Assert.Equal(new Vec3(-125, -123.54, 5.836), h.Position);
        Assert.Equal(6, h.OrientationCosines!.Count);
        Assert.Equal(4.0, h.SliceThicknessMm);
        Assert.Equal(12, h.InstanceNumber);
        Assert.Equal(512, h.Rows);
        Assert.True(h.IsLocalizer);
        Assert.Empty(h.HeaderIssues);
    }

    [Fact]
    public void FromDataset_MalformedPosition_IsAbsentAndReported()
    {
        var ds = Image(16, 1);
        ds.Set(Text(DicomTags.ImagePositionPatient, DicomVR.DS, "1\\2\\abc"));
        ds.Set(Text(DicomTags.SliceThickness, DicomVR.DS, "1\\2"));

        var h = SliceHeader.FromDataset("/bad.dcm", ds);

        Assert.Null(h.Position);
        Assert.Contains(h.HeaderIssues, i => i.StartsWith("ImagePositionPatient", StringComparison.Ordinal));
        Assert.Equal(1.0, h.SliceThicknessMm); // first value of a (wrongly) multi-valued DS
    }
}
