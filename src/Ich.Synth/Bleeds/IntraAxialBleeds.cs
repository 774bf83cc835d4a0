using System.Globalization;
using System.Numerics;
using Ich.Synth.Anatomy;

namespace Ich.Synth.Bleeds;

/// <summary>
/// Intraparenchymal hematoma: an ellipsoid with a noise-perturbed (lobulated) border, confined to
/// brain parenchyma, surrounded by a low-density edema rim (which is not blood and not in the mask).
/// </summary>
public sealed class ParenchymalBleed : Bleed
{
    private readonly Ellipsoid _shape;
    private readonly float _irregularity, _frequency, _edemaRim, _edemaDrop;
    private readonly Vector3 _offset;

    public ParenchymalBleed(GradientNoise noise, float bloodHu, Vector3 center, Vector3 axes, float irregularity,
        float edemaRim, float edemaDrop, Vector3 noiseOffset)
        : base(Subtype.Intraparenchymal, noise, bloodHu, center - axes * (1.3f + edemaRim + irregularity), center + axes * (1.3f + edemaRim + irregularity))
    {
        _shape = new Ellipsoid(center, axes);
        Axes = axes;
        _irregularity = irregularity;
        _frequency = 1.6f / MathF.Max(3, (axes.X + axes.Y + axes.Z) / 3);
        _edemaRim = edemaRim;
        _edemaDrop = edemaDrop;
        _offset = noiseOffset;
    }

    public Vector3 Axes { get; }

    public override bool MayContain(Vector3 p, HeadAnatomy anatomy) =>
        InBox(p) && MathF.Sqrt(_shape.K2(p)) < 1 + _irregularity * 1.1f;

    public override bool Apply(Vector3 p, in AnatomySample a, ref float hu)
    {
        if (!a.IsParenchyma && a.Tissue != Tissue.Calcification) return false;
        var k = MathF.Sqrt(_shape.K2(p)) + _irregularity * (0.75f * Noise.Sample(p * _frequency + _offset) + 0.25f * Noise.Sample(p * (_frequency * 3) - _offset));
        if (k < 1) { hu = Clot(p); return true; }
        if (k < 1 + _edemaRim) hu -= _edemaDrop * (1 - (k - 1) / _edemaRim * 0.5f);
        return false;
    }

    public override string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"Intraparenchymal axes={Axes.X:F1}x{Axes.Y:F1}x{Axes.Z:F1}mm");
}

/// <summary>
/// Intraventricular blood: layers in the dependent (posterior, for a supine patient) part of the chosen
/// ventricles, below a level perpendicular to gravity; a "cast" fills the chosen ventricles completely.
/// </summary>
public sealed class VentricularBleed : Bleed
{
    private readonly int _partMask;
    private readonly Vector3 _gravity;
    private readonly float _level;
    private readonly bool _cast;

    public VentricularBleed(GradientNoise noise, float bloodHu, int partMask, Vector3 gravityInHead, float level, bool cast)
        : base(Subtype.Intraventricular, noise, bloodHu, new Vector3(-60, -60, -55), new Vector3(60, 60, 45))
    {
        _partMask = partMask;
        _gravity = Vector3.Normalize(gravityInHead);
        _level = level;
        _cast = cast;
    }

    public override bool MayContain(Vector3 p, HeadAnatomy anatomy) =>
        InBox(p) && (_cast || Vector3.Dot(p, _gravity) >= _level) && anatomy.MayBeVentricle(p);

    public override bool Apply(Vector3 p, in AnatomySample a, ref float hu)
    {
        if (a.Tissue != Tissue.Ventricle || (_partMask & (1 << a.VentriclePart)) == 0) return false;
        if (!_cast && Vector3.Dot(p, _gravity) < _level) return false;
        hu = Clot(p);
        return true;
    }

    public override string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"Intraventricular parts={_partMask:X} {(_cast ? "cast" : $"level={_level:F1}mm")}");
}

/// <summary>Subarachnoid blood: fills the CSF spaces (sulci, fissures, cisterns) within an irregular region.</summary>
public sealed class SubarachnoidBleed : Bleed
{
    private readonly Vector3 _center, _offset;
    private readonly float _radius;

    public SubarachnoidBleed(GradientNoise noise, float bloodHu, Vector3 center, float radius, Vector3 noiseOffset)
        : base(Subtype.Subarachnoid, noise, bloodHu, center - new Vector3(radius * 1.5f), center + new Vector3(radius * 1.5f))
    {
        _center = center;
        _radius = radius;
        _offset = noiseOffset;
    }

    public override bool MayContain(Vector3 p, HeadAnatomy anatomy) =>
        InBox(p) && Vector3.DistanceSquared(p, _center) < _radius * _radius * 1.4f * 1.4f;

    public override bool Apply(Vector3 p, in AnatomySample a, ref float hu)
    {
        if (a.Tissue != Tissue.SubarachnoidCsf) return false;
        var d = Vector3.Distance(p, _center) / _radius + 0.35f * Noise.Sample(p * 0.06f + _offset);
        if (d >= 1) return false;
        hu = Clot(p);
        return true;
    }

    public override string Describe() => string.Create(CultureInfo.InvariantCulture, $"Subarachnoid r={_radius:F1}mm");
}
