using System.Numerics;
using Ich.Synth.Anatomy;

namespace Ich.Synth.Bleeds;

/// <summary>The five subtypes, numbered as their bit in a mask byte (bit = index − 1 in HemorrhageClasses order).</summary>
public enum Subtype : byte { Epidural = 0, Intraparenchymal = 1, Intraventricular = 2, Subarachnoid = 3, Subdural = 4 }

/// <summary>
/// One hemorrhage in head coordinates. <see cref="Apply"/> decides, for one point and its anatomy,
/// whether the point is blood of this bleed (and then sets its density); it may also change the
/// density of non-blood tissue (IPH edema). A conservative bounding box lets renderers skip the test.
/// </summary>
public abstract class Bleed
{
    protected Bleed(Subtype subtype, GradientNoise noise, float bloodHu, Vector3 boxMin, Vector3 boxMax)
    {
        Subtype = subtype;
        Noise = noise;
        BloodHu = bloodHu;
        BoxMin = boxMin;
        BoxMax = boxMax;
    }

    public Subtype Subtype { get; }
    /// <summary>Mean density of the clot (acute blood ~50–90 HU; lower for subtle, near-isodense bleeds).</summary>
    public float BloodHu { get; }
    public Vector3 BoxMin { get; }
    public Vector3 BoxMax { get; }
    protected GradientNoise Noise { get; }

    public bool InBox(Vector3 p) => p.X >= BoxMin.X && p.Y >= BoxMin.Y && p.Z >= BoxMin.Z && p.X <= BoxMax.X && p.Y <= BoxMax.Y && p.Z <= BoxMax.Z;

    /// <summary>
    /// A cheap, conservative pre-test without the anatomy sample: false guarantees that <see cref="Apply"/>
    /// would return false (the label-only path samples the anatomy only where some bleed may be).
    /// </summary>
    public abstract bool MayContain(Vector3 p, HeadAnatomy anatomy);

    /// <summary>True when <paramref name="p"/> is blood of this bleed; then <paramref name="hu"/> is set to its density.</summary>
    public abstract bool Apply(Vector3 p, in AnatomySample a, ref float hu);

    /// <summary>Clot density with a little internal texture.</summary>
    protected float Clot(Vector3 p) => BloodHu + 5 * Noise.Sample(p * 0.3f);

    /// <summary>One-line description for scans.csv and logs.</summary>
    public abstract string Describe();
}
