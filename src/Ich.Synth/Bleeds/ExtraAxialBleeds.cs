using System.Globalization;
using System.Numerics;
using Ich.Synth.Anatomy;

namespace Ich.Synth.Bleeds;

/// <summary>
/// A blood layer under the inner table centred on direction <see cref="Direction"/>: thickness
/// H·(1 − t) for an epidural (biconvex lens, t = (θ/Θ)²) or H·(1 − t²) for a subdural (flat crescent),
/// where θ is the angle from the centre direction and Θ the angular radius. Epidurals stop at sutures
/// (sagittal, coronal, lambdoid planes), tapering to nothing within 15 mm of them; convexity subdurals cross sutures but not the falx.
/// </summary>
public sealed class ConvexityBleed : Bleed
{
    private readonly float _thickness, _invTheta2, _coronalY, _lambdoidY;
    private readonly float _sideX;

    public ConvexityBleed(Subtype subtype, GradientNoise noise, float bloodHu, Vector3 direction, Vector3 surfacePoint,
        float thicknessMm, float angularRadius, float coronalY, float lambdoidY)
        : base(subtype, noise, bloodHu, Box(surfacePoint, thicknessMm, angularRadius).Min, Box(surfacePoint, thicknessMm, angularRadius).Max)
    {
        Direction = Vector3.Normalize(direction);
        _thickness = thicknessMm;
        _invTheta2 = 1 / (angularRadius * angularRadius);
        _coronalY = coronalY;
        _lambdoidY = lambdoidY;
        _sideX = MathF.Sign(surfacePoint.X);
        CenterY = surfacePoint.Y;
        AngularRadius = angularRadius;
    }

    public Vector3 Direction { get; }
    public float CenterY { get; }
    public float AngularRadius { get; }

    private static (Vector3 Min, Vector3 Max) Box(Vector3 s, float h, float theta)
    {
        var r = s.Length() * MathF.Min(theta * 1.1f, 1.6f) + h + 4;
        return (s - new Vector3(r), s + new Vector3(r));
    }

    public override bool MayContain(Vector3 p, HeadAnatomy anatomy)
    {
        if (!InBox(p) || (_sideX != 0 && p.X * _sideX < 0.8f)) return false;
        var len = p.Length();
        if (len < 1 || 2 * (1 - Vector3.Dot(p, Direction) / len) * _invTheta2 >= 1) return false;
        var dc = anatomy.CavityDistance(p);
        return dc < 0 && dc > -_thickness * 1.2f;
    }

    public override bool Apply(Vector3 p, in AnatomySample a, ref float hu)
    {
        if (a.Depth <= 0 || a.Tissue is Tissue.Bone) return false;
        if (a.Depth >= _thickness * 1.2f) return false;
        if (_sideX != 0 && p.X * _sideX < 0.8f) return false; // the falx / sagittal suture
        var len = p.Length();
        if (len < 1) return false;
        var cos = Vector3.Dot(p, Direction) / len;
        var t = 2 * (1 - cos) * _invTheta2; // (θ/Θ)² for small angles
        if (t >= 1) return false;
        if (Subtype == Subtype.Epidural)
        {
            // The dura is fixed at the sutures: the lens tapers to nothing at the coronal and lambdoid planes.
            var toCoronal = (p.Y - _coronalY) * MathF.Sign(CenterY - _coronalY);
            var toLambdoid = (p.Y - _lambdoidY) * MathF.Sign(CenterY - _lambdoidY);
            if (toCoronal <= 0 || toLambdoid <= 0) return false;
            var taper = MathF.Min(1, MathF.Min(toCoronal, toLambdoid) / 15);
            if (a.Depth >= _thickness * (1 - t) * MathF.Sqrt(taper)) return false;
        }
        else if (a.Depth >= _thickness * (1 - t * t) * (1 + 0.15f * Noise.Sample(p * 0.08f))) return false; // |noise| < 1 keeps it under 1.2 H
        hu = Clot(p);
        return true;
    }

    public override string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{Subtype} convexity H={_thickness:F1}mm theta={AngularRadius:F2}rad");
}

/// <summary>A subdural layer along one side of the falx or on top of the tentorium.</summary>
public sealed class DuralSurfaceBleed : Bleed
{
    private readonly HeadAnatomy _anatomy;
    private readonly bool _tentorial;
    private readonly float _thickness, _side;
    private readonly Ellipsoid _extent;

    public DuralSurfaceBleed(GradientNoise noise, float bloodHu, HeadAnatomy anatomy, bool tentorial, float thicknessMm,
        float side, Vector3 center, Vector3 halfSize)
        : base(Subtype.Subdural, noise, bloodHu, center - halfSize - new Vector3(thicknessMm + 2), center + halfSize + new Vector3(thicknessMm + 2))
    {
        _anatomy = anatomy;
        _tentorial = tentorial;
        _thickness = thicknessMm;
        _side = side;
        _extent = new Ellipsoid(center, halfSize);
    }

    public override bool MayContain(Vector3 p, HeadAnatomy anatomy) => InBox(p) && _extent.K2(p) < 1;

    public override bool Apply(Vector3 p, in AnatomySample a, ref float hu)
    {
        if (a.Depth <= 1 || a.Tissue is Tissue.Bone or Tissue.Ventricle || _extent.K2(p) >= 1) return false;
        if (_tentorial)
        {
            if (p.X * _side < 0) return false;
            var d = _anatomy.PosteriorFossaDistance(p);
            if (d < 0.8f || d > 0.8f + _thickness) return false;
        }
        else
        {
            var x = p.X * _side;
            if (x < 0.7f || x > 0.7f + _thickness) return false;
        }
        hu = Clot(p);
        return true;
    }

    public override string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"Subdural {(_tentorial ? "tentorial" : "falcine")} H={_thickness:F1}mm");
}
