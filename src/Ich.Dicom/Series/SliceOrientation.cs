namespace Ich.Dicom.Series;

/// <summary>
/// A slice plane's orientation from ImageOrientationPatient (row cosine, column cosine) and its normal.
/// The normal is row × column, flipped when it points toward the feet (negative patient-Z component in
/// LPS) so that "ascending along the normal" always means "from inferior to superior" for axial-like
/// slices: index 0 of an ordered series is the lowest slice whatever the scanner's row/column convention.
/// </summary>
public sealed record SliceOrientation
{
    /// <summary>Two direction cosines differing by more than this (per component) are different orientations.</summary>
    public const double CosineTolerance = 1e-3;

    private SliceOrientation(Vec3 row, Vec3 column, Vec3 normal)
    {
        Row = row;
        Column = column;
        Normal = normal;
    }

    public Vec3 Row { get; }
    public Vec3 Column { get; }

    /// <summary>Unit slice normal, oriented toward the head (Z ≥ 0) as documented on the type.</summary>
    public Vec3 Normal { get; }

    /// <summary>Angle in degrees between the slice normal and the patient's feet–head axis (0 = pure axial).</summary>
    public double ObliquityDeg => Normal.AngleDegTo(new Vec3(0, 0, 1));

    /// <summary>
    /// Builds the orientation from the six ImageOrientationPatient values; null with a reason when they
    /// are missing, not six, not unit length or parallel.
    /// </summary>
    public static SliceOrientation? TryCreate(IReadOnlyList<double>? iop, out string? reason)
    {
        reason = null;
        if (iop is null || iop.Count == 0) { reason = "no ImageOrientationPatient"; return null; }
        if (iop.Count != 6) { reason = $"ImageOrientationPatient has {iop.Count} values, expected 6"; return null; }
        var row = new Vec3(iop[0], iop[1], iop[2]);
        var column = new Vec3(iop[3], iop[4], iop[5]);
        // Scanners write 6–10 significant digits; a cosine vector off unit length by > 1 % is corrupt.
        if (Math.Abs(row.Length - 1) > 0.01 || Math.Abs(column.Length - 1) > 0.01)
        {
            reason = "ImageOrientationPatient direction cosines are not unit vectors";
            return null;
        }
        var cross = row.Cross(column);
        if (cross.Length < 0.9) { reason = "ImageOrientationPatient row and column are not perpendicular"; return null; }
        var normal = cross.Normalized();
        if (normal.Z < 0) normal = -1 * normal;
        return new SliceOrientation(row.Normalized(), column.Normalized(), normal);
    }

    /// <summary>True when both cosines agree within <see cref="CosineTolerance"/> per component.</summary>
    public bool SameAs(SliceOrientation other) =>
        Close(Row, other.Row) && Close(Column, other.Column);

    private static bool Close(Vec3 a, Vec3 b) =>
        Math.Abs(a.X - b.X) <= CosineTolerance && Math.Abs(a.Y - b.Y) <= CosineTolerance && Math.Abs(a.Z - b.Z) <= CosineTolerance;

    public override string ToString() => $"row {Row}, column {Column}";
}
