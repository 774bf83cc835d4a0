using Ich.Dicom.Model;
using Ich.Dicom.Pixels;
using Ich.Dicom.Reading;
using Ich.TestKit;

namespace Ich.Dicom.Tests.Reading;

/// <summary>Quirks of the shared real files that the manifest leaves open, checked against sibling references.</summary>
public sealed class RealDataQuirkTests
{
    [SkippableFact]
    public void Gh177BigEndianUndefinedLength_WhichPydicomRejects_DecodesToTheNemaCt1Pixels()
    {
        // The manifest marks this file "either" (no reference values). It is NEMA WG04 CT1, whose stored
        // pixels the manifest gives for GH177_..._ELE_undefinded_length.dcm and CT1_J2KR (1add6ede…).
        const string ct1 = "1add6ede29758c6f0c68f01749ddc6c907e68a312be4eb9da8489e376e0bbd34";
        var file = DicomFileReader.Read(RepoPaths.RequireShared(
            "realdata/conformance/fo-dicom/GH177_D_CLUNIE_CT1_IVRLE_BigEndian_undefined_length.dcm"));
        Assert.Equal(TransferSyntaxes.ExplicitVRBigEndian, file.TransferSyntaxUid);
        Assert.Equal(ct1, StoredPixelHash.Compute(DicomPixelData.Create(file)));
    }

    [SkippableFact]
    public void RsnaSlice_ZeroPaddedMultiValuedWindow_ReadsBothValues()
    {
        var folder = RepoPaths.RequireShared("realdata/headct/rsna2019_okotaku_stage2_series");
        var ds = DicomFileReader.Read(Path.Combine(folder, "ID_000000e27.dcm"), DicomReadOptions.Header).Dataset;
        var raw = ds.GetText(DicomTags.WindowCenter)!;
        Assert.Contains('\\', raw); // e.g. "00040\00040" in the file
        var centers = ds.GetNumbers(DicomTags.WindowCenter);
        Assert.Equal(2, centers.Length);
        Assert.Equal(centers[0], double.Parse(raw.Split('\\')[0], System.Globalization.CultureInfo.InvariantCulture));
    }
}
