using Ich.Dicom.Model;

namespace Ich.Dicom.Reading;

/// <summary>
/// The value representation of the tags this project reads, for data encoded without VRs
/// (Implicit VR, and elements an encoder wrote as UN). Tags not listed stay UN; their text is still
/// readable through <see cref="DicomDataset.GetText"/>. The VR of Pixel Data and Pixel Padding Value
/// depends on the image and is decided by the pixel layer, not here.
/// </summary>
public static class ImplicitVrDictionary
{
    private static readonly Dictionary<uint, DicomVR> Vrs = Build();

    /// <summary>The dictionary VR of a tag, or <see cref="DicomVR.UN"/> when unknown.</summary>
    public static DicomVR Lookup(DicomTag tag)
    {
        if (tag.Element == 0x0000) return DicomVR.UL; // group length (PS3.5 §7.2)
        if (tag.IsPrivate && tag.Element is >= 0x0010 and <= 0x00FF) return DicomVR.LO; // private creator
        return Vrs.TryGetValue(tag.Value, out var vr) ? vr : DicomVR.UN;
    }

    private static Dictionary<uint, DicomVR> Build()
    {
        var d = new Dictionary<uint, DicomVR>();
        void Add(DicomVR vr, params uint[] tags)
        {
            foreach (var t in tags) d[t] = vr;
        }
        Add(DicomVR.UL, 0x00020000, 0x00081161);
        Add(DicomVR.OB, 0x00020001);
        Add(DicomVR.UI, 0x00020002, 0x00020003, 0x00020010, 0x00020012, 0x00080016, 0x00080018, 0x0020000D, 0x0020000E,
            0x00200052, 0x00081150, 0x00081155, 0x00280052);
        Add(DicomVR.SH, 0x00020013, 0x00080050, 0x00081010, 0x00200010, 0x00181210);
        Add(DicomVR.CS, 0x00080005, 0x00080008, 0x00080060, 0x00180015, 0x00100040, 0x00280004, 0x00281054, 0x00283004,
            0x00200060, 0x00185100);
        Add(DicomVR.DA, 0x00080020, 0x00080021, 0x00080022, 0x00080023, 0x00100030);
        Add(DicomVR.TM, 0x00080030, 0x00080031, 0x00080032, 0x00080033);
        Add(DicomVR.LO, 0x00080070, 0x00081030, 0x0008103E, 0x00100020, 0x00181020, 0x00283003, 0x00281055,
            0x00081090);
        Add(DicomVR.PN, 0x00080090, 0x00100010);
        Add(DicomVR.DS, 0x00180050, 0x00180088, 0x00181120, 0x00200032, 0x00200037, 0x00201041, 0x00280030, 0x00281050,
            0x00281051, 0x00281052, 0x00281053, 0x00180060, 0x00180090, 0x00181100);
        Add(DicomVR.IS, 0x00200011, 0x00200012, 0x00200013, 0x00280008, 0x00201002, 0x00181150, 0x00181151, 0x00181152);
        Add(DicomVR.AT, 0x00280009);
        Add(DicomVR.US, 0x00280002, 0x00280006, 0x00280010, 0x00280011, 0x00280100, 0x00280101, 0x00280102, 0x00280103,
            0x00283002);
        Add(DicomVR.SQ, 0x00283000, 0x00289145, 0x52009229, 0x52009230, 0x00209113, 0x00209116, 0x00289110, 0x00209111,
            0x00081115, 0x00081140, 0x00082112, 0x00089215, 0x00400275, 0x00080096, 0x00081199, 0x00089121,
            0x00189321, 0x00189301, 0x00289132, 0x00209071, 0x00209222, 0x00209221);
        Add(DicomVR.OV, 0x7FE00001, 0x7FE00002); // Extended Offset Table and its lengths
        Add(DicomVR.OW, 0x00283006); // LUT Data (US or OW: same bytes in Little Endian)
        // Ambiguous US/SS tags: read as US here, reinterpreted by the pixel layer from PixelRepresentation.
        Add(DicomVR.US, 0x00280120, 0x00280121, 0x00280106, 0x00280107);
        Add(DicomVR.OW, 0x7FE00010); // Pixel Data in Implicit VR (PS3.5 §A.1)
        Add(DicomVR.OF, 0x7FE00008);
        Add(DicomVR.OD, 0x7FE00009);
        return d;
    }
}
