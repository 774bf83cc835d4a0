using System.Runtime.InteropServices;

namespace Ich.Dicom.Codecs.Jpeg2000;

/// <summary>
/// <c>opj_image_t</c> of openjpeg.h (2.x), read-only view of what opj_read_header/opj_decode produce.
/// Field order and types mirror the C declaration; sequential layout gives the same padding.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct OpenJpegImage
{
    public uint X0;
    public uint Y0;
    public uint X1;
    public uint Y1;
    public uint ComponentCount;
    public int ColorSpace;
    public OpenJpegComponent* Components;
    public byte* IccProfile;
    public uint IccProfileLength;
}

/// <summary><c>opj_image_comp_t</c> of openjpeg.h (2.x): one component's geometry, precision and samples.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct OpenJpegComponent
{
    public uint Dx;
    public uint Dy;
    public uint Width;
    public uint Height;
    public uint X0;
    public uint Y0;
    public uint Precision;
    public uint Bpp; // deprecated in 2.5 but still part of the layout
    public uint Signed;
    public uint ResolutionsDecoded;
    public uint Factor;
    public int* Data;
    public ushort Alpha;
}
