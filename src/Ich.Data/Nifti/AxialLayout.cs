namespace Ich.Data.Nifti;

/// <summary>
/// How a NIfTI voxel grid is shown as axial slices in the DICOM radiological convention, without
/// resampling: the voxel axis closest to world z (RAS+ "superior") is the slice axis, read lowest
/// first; of the other two, the one closer to world x becomes the image columns, read from patient
/// right to left (column 0 = patient right), and the last one the rows, read from anterior to
/// posterior (row 0 = anterior). Oblique grids are shown along their nearest axes (no interpolation).
/// </summary>
public sealed record AxialLayout(
    int ColumnAxis, bool ColumnFlip,
    int RowAxis, bool RowFlip,
    int SliceAxis, bool SliceFlip,
    double ColumnSpacingMm, double RowSpacingMm, double SliceSpacingMm,
    double[] SliceNormal, double[,] Affine)
{
    /// <summary>Chooses the layout from a voxel → RAS+ affine (row-major 4×4).</summary>
    public static AxialLayout FromAffine(double[,] affine)
    {
        var norms = new double[3];
        for (var c = 0; c < 3; c++)
            norms[c] = Math.Sqrt(affine[0, c] * affine[0, c] + affine[1, c] * affine[1, c] + affine[2, c] * affine[2, c]);
        for (var c = 0; c < 3; c++)
            if (!(norms[c] > 0)) throw new ArgumentException($"affine column {c} is zero: no geometry");

        // Slice axis: largest share of world z; on a tie axis k wins, then j (the usual storage order).
        var slice = new[] { 2, 1, 0 }.MaxBy(c => Math.Abs(affine[2, c]) / norms[c]);
        var others = new[] { 0, 1, 2 }.Where(c => c != slice).ToArray();
        var column = others.MaxBy(c => Math.Abs(affine[0, c]) / norms[c]);
        var row = others.Single(c => c != column);

        // NIfTI world is RAS+ (+x = patient right, +y = anterior, +z = superior).
        // Columns must run right → left (towards −x): flip an axis pointing to +x.
        // Rows must run anterior → posterior (towards −y): flip an axis pointing to +y.
        var columnFlip = affine[0, column] > 0;
        var rowFlip = affine[1, row] > 0;
        var sliceFlip = affine[2, slice] < 0;

        var sign = sliceFlip ? -1.0 : 1.0;
        double[] normal = [sign * affine[0, slice] / norms[slice], sign * affine[1, slice] / norms[slice], sign * affine[2, slice] / norms[slice]];
        return new AxialLayout(column, columnFlip, row, rowFlip, slice, sliceFlip,
            norms[column], norms[row], norms[slice], normal, affine);
    }

    /// <summary>Position of output slice <paramref name="k"/> (0 = lowest) along <see cref="SliceNormal"/>, in mm.</summary>
    public double SlicePositionMm(int k, long sliceCount)
    {
        var index = SliceFlip ? sliceCount - 1 - k : k;
        // World position of voxel (0,0,0) moved by index along the slice axis, projected on the normal.
        double pos = 0;
        for (var r = 0; r < 3; r++) pos += SliceNormal[r] * (Affine[r, 3] + Affine[r, SliceAxis] * index);
        return pos;
    }

    /// <summary>Short description for reports, e.g. "slices along k (lowest first), columns i reversed, rows j reversed".</summary>
    public override string ToString()
    {
        string Name(int a) => "ijk"[a].ToString();
        return $"slices along {Name(SliceAxis)}{(SliceFlip ? " reversed" : "")}, columns along {Name(ColumnAxis)}{(ColumnFlip ? " reversed" : "")}, rows along {Name(RowAxis)}{(RowFlip ? " reversed" : "")}";
    }
}
