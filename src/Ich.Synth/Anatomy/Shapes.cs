using System.Numerics;
using System.Runtime.CompilerServices;

namespace Ich.Synth.Anatomy;

/// <summary>An axis-aligned ellipsoid in head coordinates (mm) with cheap inside tests and an approximate signed distance.</summary>
public readonly struct Ellipsoid
{
    public readonly Vector3 Center;
    public readonly Vector3 InverseAxes;

    public Ellipsoid(Vector3 center, Vector3 axes)
    {
        Center = center;
        InverseAxes = Vector3.One / axes;
    }

    /// <summary>Squared normalised radius: &lt; 1 inside.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float K2(Vector3 p)
    {
        var q = (p - Center) * InverseAxes;
        return Vector3.Dot(q, q);
    }

    /// <summary>Same for a left/right mirrored pair (x replaced by |x|, centre on the positive side).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float K2Mirrored(Vector3 p) => K2(new Vector3(MathF.Abs(p.X), p.Y, p.Z));

    /// <summary>Approximate signed distance in mm (negative inside), exact on the surface.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Distance(Vector3 p)
    {
        var d = p - Center;
        var q = d * InverseAxes;
        var k = MathF.Sqrt(Vector3.Dot(q, q));
        var r = d.Length();
        return k < 1e-4f ? -1f / MathF.Max(MathF.Max(InverseAxes.X, InverseAxes.Y), InverseAxes.Z) : r * (1 - 1 / k);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float DistanceMirrored(Vector3 p) => Distance(new Vector3(MathF.Abs(p.X), p.Y, p.Z));
}

/// <summary>Small shape helpers.</summary>
public static class ShapeMath
{
    /// <summary>Polynomial smooth minimum (blend width k mm): unions organ parts without creases.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float SmoothMin(float a, float b, float k)
    {
        var h = MathF.Max(k - MathF.Abs(a - b), 0) / k;
        return MathF.Min(a, b) - h * h * k * 0.25f;
    }

    /// <summary>Distance from p to the segment a–b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float SegmentDistance(Vector3 p, Vector3 a, Vector3 b)
    {
        var ab = b - a;
        var t = Math.Clamp(Vector3.Dot(p - a, ab) / Vector3.Dot(ab, ab), 0f, 1f);
        return Vector3.Distance(p, a + t * ab);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float SmoothStep(float e0, float e1, float x)
    {
        var t = Math.Clamp((x - e0) / (e1 - e0), 0f, 1f);
        return t * t * (3 - 2 * t);
    }
}

/// <summary>Tissue classes a sample can fall in; bleeds use them to know where blood may go.</summary>
public enum Tissue : byte
{
    Air, Soft, Fat, Bone, SinusAir, Orbit, SubarachnoidCsf, Ventricle, Gray, White, DeepGray, Brainstem,
    Cerebellum, Dura, VenousSinus, Calcification,
}

/// <summary>What the anatomy says about one point: its density and the context bleeds need.</summary>
public struct AnatomySample
{
    public float Hu;
    public Tissue Tissue;
    /// <summary>Distance below the inner table in mm (positive inside the cranial cavity).</summary>
    public float Depth;
    /// <summary>Ventricle compartment: 1 left lateral, 2 right lateral, 3 third, 4 fourth; 0 elsewhere.</summary>
    public byte VentriclePart;

    public readonly bool IsParenchyma => Tissue is Tissue.Gray or Tissue.White or Tissue.DeepGray or Tissue.Brainstem or Tissue.Cerebellum;
    public readonly bool InCavity => Depth > 0;
}
