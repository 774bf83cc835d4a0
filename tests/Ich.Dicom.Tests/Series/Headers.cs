using Ich.Dicom.Series;

namespace Ich.Dicom.Tests.Series;

/// <summary>Hand-built slice headers for geometry and selection tests (no files involved).</summary>
internal static class Headers
{
    public static readonly double[] Axial = [1, 0, 0, 0, 1, 0];

    /// <summary>IOP of a stack tilted by <paramref name="deg"/> about the patient's left–right axis.</summary>
    public static double[] TiltedAboutX(double deg)
    {
        var r = deg * Math.PI / 180;
        return [1, 0, 0, 0, Math.Cos(r), -Math.Sin(r)];
    }

    public static SliceHeader Slice(string sop, double x, double y, double z, double[]? iop = null,
        string series = "1.2.3.1", string study = "1.2.3", string? path = null, int? instance = null,
        double? thickness = null, int rows = 512, int columns = 512, string modality = "CT", string? kernel = null,
        string? description = null, int? seriesNumber = null, string[]? imageType = null, string? patient = "P1") =>
        new()
        {
            Path = path ?? $"/data/{sop}.dcm",
            SopInstanceUid = sop,
            StudyInstanceUid = study,
            SeriesInstanceUid = series,
            PatientId = patient,
            Modality = modality,
            InstanceNumber = instance,
            Position = new Vec3(x, y, z),
            OrientationCosines = iop ?? Axial,
            SliceThicknessMm = thickness,
            Rows = rows,
            Columns = columns,
            PixelSpacingMm = [0.5, 0.5],
            ConvolutionKernel = kernel,
            SeriesDescription = description,
            SeriesNumber = seriesNumber,
            ImageType = imageType ?? ["ORIGINAL", "PRIMARY", "AXIAL"],
        };

    /// <summary>An axial series of <paramref name="count"/> slices from <paramref name="z0"/> every <paramref name="step"/> mm.</summary>
    public static IEnumerable<SliceHeader> AxialSeries(string series, int count, double z0, double step, double? thickness,
        string? kernel = "STANDARD", string? description = null, int? seriesNumber = null, string study = "1.2.3") =>
        Enumerable.Range(0, count).Select(i => Slice($"{series}.{i + 1}", -120, -120, z0 + i * step, series: series,
            study: study, instance: i + 1, thickness: thickness, kernel: kernel, description: description, seriesNumber: seriesNumber));
}
