using Ich.Core.Scans;
using Ich.Data.Catalog;

namespace Ich.Data.Nifti;

/// <summary>
/// One NIfTI file as axial HU slices (<see cref="AxialLayout"/>): the first volume of 4D+ files,
/// scaled with scl_slope/scl_inter, NaN/±∞ voxels set to air (−1000 HU). Both are reported.
/// </summary>
public sealed class NiftiScan
{
    public const float AirHu = -1000f;

    private NiftiScan(string path, NiftiHeader header, AxialLayout layout, int width, int height, int sliceCount)
    {
        Path = path; Header = header; Layout = layout; Width = width; Height = height; SliceCount = sliceCount;
    }

    public string Path { get; }
    public NiftiHeader Header { get; }
    public AxialLayout Layout { get; }

    /// <summary>Axial image width (columns) and height (rows) in pixels.</summary>
    public int Width { get; }
    public int Height { get; }
    public int SliceCount { get; }

    /// <summary>Reads the header and decides the layout (voxels are read by <see cref="ReadSlices"/>).</summary>
    public static NiftiScan Open(string path)
    {
        var header = NiftiFile.ReadHeader(path);
        header.Validate(path);
        if (!header.SingleFile) NiftiFile.PairedImage(path);
        var layout = AxialLayout.FromAffine(header.Affine());
        var size = new[] { Dim(header, 1), Dim(header, 2), Dim(header, 3) };
        return new NiftiScan(path, header, layout, size[layout.ColumnAxis], size[layout.RowAxis], size[layout.SliceAxis]);
    }

    private static int Dim(NiftiHeader h, int i) => i <= h.Dim[0] ? checked((int)h.Dim[i]) : 1;

    private static int SliceCountOf(NiftiHeader h) => Dim(h, 3);

    /// <summary>Volumes beyond the first (dims 4..7 multiplied), 0 for a 3D file.</summary>
    public long ExtraVolumes
    {
        get
        {
            long n = 1;
            for (var i = 4; i <= Header.Dim[0]; i++) n *= Header.Dim[i];
            return n - 1;
        }
    }

    /// <summary>
    /// All axial slices, lowest first, each row-major [Height, Width] in HU (scaled values), with the
    /// count of non-finite voxels that were set to air.
    /// </summary>
    public (float[][] Slices, long NonFinite) ReadSlices()
    {
        var file = NiftiFile.Read(Path);
        var h = file.Header;
        int nx = Dim(h, 1), ny = Dim(h, 2);
        var volume = file.ScaledPrefix(checked(nx * ny * SliceCountOf(h)));
        var strides = new long[] { 1, nx, (long)nx * ny };
        var slices = new float[SliceCount][];
        long nonFinite = 0;
        var L = Layout;
        for (var k = 0; k < SliceCount; k++)
        {
            var plane = new float[Width * Height];
            var ks = L.SliceFlip ? SliceCount - 1 - k : k;
            for (var r = 0; r < Height; r++)
            {
                var rs = L.RowFlip ? Height - 1 - r : r;
                for (var c = 0; c < Width; c++)
                {
                    var cs = L.ColumnFlip ? Width - 1 - c : c;
                    var index = cs * strides[L.ColumnAxis] + rs * strides[L.RowAxis] + ks * strides[L.SliceAxis];
                    var v = volume[index];
                    if (!float.IsFinite(v)) { v = AirHu; nonFinite++; }
                    plane[r * Width + c] = v;
                }
            }
            slices[k] = plane;
        }
        return (slices, nonFinite);
    }

    /// <summary>
    /// The scan as a <see cref="ScanRecord"/>: slice IDs "1".."n" (1 = lowest), ZMm along the slice
    /// normal, pixel spacing = column spacing. Pixels are read on first use and kept through a weak
    /// reference (the whole volume is decoded at once; the GC may drop it under memory pressure).
    /// </summary>
    public ScanRecord ToScanRecord(string dataset, string patientId, string scanId, LoadReport report,
        Func<int, float[]?>? labelsOfSlice = null)
    {
        if (ExtraVolumes > 0)
            report.Adjust(Path, scanId, $"{Header.Dim[0]}D image with {ExtraVolumes + 1} volumes: only the first volume is used");
        if (Layout.SliceAxis != 2 || Layout.SliceFlip || Layout.ColumnFlip || Layout.RowFlip)
            report.Note(Path, scanId, $"voxel grid reordered for axial display: {Layout}");
        var cache = new WeakReference<float[][]?>(null);
        var gate = new object();
        var reportedNaN = 0;
        float[] Slice(int k)
        {
            lock (gate)
            {
                if (!cache.TryGetTarget(out var all) || all is null)
                {
                    (all, var nonFinite) = ReadSlices();
                    cache.SetTarget(all);
                    if (nonFinite > 0 && Interlocked.Exchange(ref reportedNaN, 1) == 0)
                        report.Adjust(Path, scanId, $"{nonFinite} NaN/infinite voxels set to air ({AirHu} HU)");
                }
                return all[k];
            }
        }
        var slices = new SliceRecord[SliceCount];
        var spacing = Layout.ColumnSpacingMm;
        for (var k = 0; k < SliceCount; k++)
        {
            var index = k;
            slices[k] = new SliceRecord(
                SliceId: (k + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
                Index: k,
                ZMm: Layout.SlicePositionMm(k, SliceCount),
                Labels: labelsOfSlice?.Invoke(k + 1),
                LoadHu: () => new HuImage(Width, Height, (float[])Slice(index).Clone(), spacing),
                SourcePath: Path);
        }
        return new ScanRecord(dataset, patientId, scanId, slices, null, Layout.SliceSpacingMm);
    }
}
