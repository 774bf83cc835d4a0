namespace Ich.Viewer;

/// <summary>
/// Direction cosines of the image plane in the DICOM patient coordinate system (LPS: +x towards the
/// patient's left, +y posterior, +z head): <paramref name="Row"/> is the direction of increasing column
/// index (along a row, to the right on screen), <paramref name="Column"/> the direction of increasing row
/// index (down on screen), i.e. the two halves of ImageOrientationPatient (0020,0037).
/// </summary>
public sealed record PatientOrientation(double[] Row, double[] Column)
{
    /// <summary>Standard axial: rows run to the patient's left, columns to posterior.</summary>
    public static PatientOrientation Axial { get; } = new([1, 0, 0], [0, 1, 0]);

    /// <summary>Builds the orientation from the six ImageOrientationPatient values.</summary>
    public static PatientOrientation FromImageOrientationPatient(IReadOnlyList<double> iop)
    {
        ArgumentNullException.ThrowIfNull(iop);
        if (iop.Count != 6) throw new ViewerInputException($"ImageOrientationPatient needs 6 values, got {iop.Count}");
        return new([iop[0], iop[1], iop[2]], [iop[3], iop[4], iop[5]]);
    }

    /// <summary>
    /// The patient directions at the four screen edges. Each label lists the letters (L/R, A/P, H/F) of the
    /// axes the edge direction has a component of at least 0.3 along, largest first, so an oblique plane
    /// shows e.g. "LA"; the standard axial plane gives left edge R, right edge L, top A, bottom P.
    /// </summary>
    public (string Left, string Right, string Top, string Bottom) EdgeLabels()
    {
        Validate();
        return (Label(Row, -1), Label(Row, 1), Label(Column, -1), Label(Column, 1));
    }

    /// <summary>Refuses cosines that are not two orthogonal unit vectors of 3 components.</summary>
    public void Validate()
    {
        if (Row is not { Length: 3 } || Column is not { Length: 3 })
            throw new ViewerInputException("orientation: row and column direction cosines need 3 components each");
        if (Row.Concat(Column).Any(v => !double.IsFinite(v)))
            throw new ViewerInputException("orientation: direction cosines must be finite");
        if (Math.Abs(Norm(Row) - 1) > 0.01 || Math.Abs(Norm(Column) - 1) > 0.01)
            throw new ViewerInputException("orientation: direction cosines must be unit vectors");
        if (Math.Abs(Row[0] * Column[0] + Row[1] * Column[1] + Row[2] * Column[2]) > 0.01)
            throw new ViewerInputException("orientation: row and column directions must be orthogonal");
    }

    private static readonly int[] Axes = [0, 1, 2];

    private static double Norm(double[] v) => Math.Sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);

    private static string Label(double[] direction, int sign)
    {
        // Letters for the positive and negative direction of each LPS axis.
        ReadOnlySpan<char> positive = ['L', 'P', 'H'];
        ReadOnlySpan<char> negative = ['R', 'A', 'F'];
        var axes = Axes.OrderByDescending(a => Math.Abs(direction[a])).ToArray();
        var label = new System.Text.StringBuilder(3);
        foreach (var axis in axes)
        {
            var component = sign * direction[axis];
            if (label.Length > 0 && Math.Abs(component) < 0.3) break;
            label.Append(component >= 0 ? positive[axis] : negative[axis]);
        }
        return label.ToString();
    }
}
