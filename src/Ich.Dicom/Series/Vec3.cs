namespace Ich.Dicom.Series;

/// <summary>A 3-vector in the DICOM patient coordinate system (LPS, millimetres or direction cosines).</summary>
public readonly record struct Vec3(double X, double Y, double Z)
{
    public static Vec3 operator +(Vec3 a, Vec3 b) => new(a.X + b.X, a.Y + b.Y, a.Z + b.Z);
    public static Vec3 operator -(Vec3 a, Vec3 b) => new(a.X - b.X, a.Y - b.Y, a.Z - b.Z);
    public static Vec3 operator *(double s, Vec3 a) => new(s * a.X, s * a.Y, s * a.Z);

    public double Dot(Vec3 o) => X * o.X + Y * o.Y + Z * o.Z;

    public Vec3 Cross(Vec3 o) => new(Y * o.Z - Z * o.Y, Z * o.X - X * o.Z, X * o.Y - Y * o.X);

    public double Length => Math.Sqrt(Dot(this));

    /// <summary>The unit vector in the same direction; throws for a (near) zero vector.</summary>
    public Vec3 Normalized()
    {
        var length = Length;
        if (length < 1e-9) throw new InvalidOperationException("cannot normalise a zero vector");
        return (1 / length) * this;
    }

    /// <summary>Angle between two directions in degrees, 0..180.</summary>
    public double AngleDegTo(Vec3 o) =>
        Math.Acos(Math.Clamp(Dot(o) / (Length * o.Length), -1, 1)) * 180 / Math.PI;

    public override string ToString() => FormattableString.Invariant($"({X:0.####}, {Y:0.####}, {Z:0.####})");
}
