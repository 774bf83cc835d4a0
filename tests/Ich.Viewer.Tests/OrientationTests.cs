namespace Ich.Viewer.Tests;

public class OrientationTests
{
    [Fact]
    public void Axial_ShowsPatientRightOnScreenLeft() =>
        Assert.Equal(("R", "L", "A", "P"), PatientOrientation.Axial.EdgeLabels());

    [Fact]
    public void FlippedRows_SwapRightAndLeft() =>
        Assert.Equal(("L", "R", "A", "P"), PatientOrientation.FromImageOrientationPatient([-1, 0, 0, 0, 1, 0]).EdgeLabels());

    [Fact]
    public void Coronal_TopIsHead() =>
        Assert.Equal(("R", "L", "H", "F"), PatientOrientation.FromImageOrientationPatient([1, 0, 0, 0, 0, -1]).EdgeLabels());

    [Fact]
    public void Oblique_ListsBothAxesLargestFirst()
    {
        // Row rotated 30° from +x towards +y: cos 30 = 0.866 (L), sin 30 = 0.5 (P) ≥ 0.3 → "LP" on the right.
        var c = Math.Cos(Math.PI / 6); var s = Math.Sin(Math.PI / 6);
        var labels = PatientOrientation.FromImageOrientationPatient([c, s, 0, -s, c, 0]).EdgeLabels();
        Assert.Equal("LP", labels.Right);
        Assert.Equal("RA", labels.Left);
        Assert.Equal("AL", labels.Top); // −column = (0.5, −0.866, 0): A first, then L
    }

    [Fact]
    public void NonOrthogonal_IsRefused() =>
        Assert.Throws<ViewerInputException>(() => PatientOrientation.FromImageOrientationPatient([1, 0, 0, 0.5, 0.866, 0]).EdgeLabels());
}
