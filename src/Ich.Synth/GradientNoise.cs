using System.Numerics;
using System.Runtime.CompilerServices;

namespace Ich.Synth;

/// <summary>
/// 3D gradient (Perlin-style) noise in about [-1, 1] with a per-instance permutation, so every phantom
/// gets its own gyral and texture pattern. Zero crossings form meandering surfaces: used for sulci,
/// cerebellar folia, irregular bleed borders and parenchymal mottling.
/// </summary>
public sealed class GradientNoise
{
    private readonly byte[] _perm = new byte[512];

    public GradientNoise(SynthRandom rng)
    {
        var p = new byte[256];
        for (var i = 0; i < 256; i++) p[i] = (byte)i;
        for (var i = 255; i > 0; i--)
        {
            var j = rng.Int(i + 1);
            (p[i], p[j]) = (p[j], p[i]);
        }
        for (var i = 0; i < 512; i++) _perm[i] = p[i & 255];
    }

    public float Sample(Vector3 v) => Sample(v.X, v.Y, v.Z);

    public float Sample(float x, float y, float z)
    {
        var fx = MathF.Floor(x); var fy = MathF.Floor(y); var fz = MathF.Floor(z);
        int xi = (int)fx & 255, yi = (int)fy & 255, zi = (int)fz & 255;
        x -= fx; y -= fy; z -= fz;
        float u = Fade(x), v = Fade(y), w = Fade(z);
        var p = _perm;
        int a = p[xi] + yi, aa = p[a] + zi, ab = p[a + 1] + zi;
        int b = p[xi + 1] + yi, ba = p[b] + zi, bb = p[b + 1] + zi;
        var x1 = Lerp(u, Grad(p[aa], x, y, z), Grad(p[ba], x - 1, y, z));
        var x2 = Lerp(u, Grad(p[ab], x, y - 1, z), Grad(p[bb], x - 1, y - 1, z));
        var y1 = Lerp(v, x1, x2);
        x1 = Lerp(u, Grad(p[aa + 1], x, y, z - 1), Grad(p[ba + 1], x - 1, y, z - 1));
        x2 = Lerp(u, Grad(p[ab + 1], x, y - 1, z - 1), Grad(p[bb + 1], x - 1, y - 1, z - 1));
        return Lerp(w, y1, Lerp(v, x1, x2));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Fade(float t) => t * t * t * (t * (t * 6 - 15) + 10);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Lerp(float t, float a, float b) => a + t * (b - a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Grad(int hash, float x, float y, float z)
    {
        var h = hash & 15;
        var u = h < 8 ? x : y;
        var v = h < 4 ? y : h is 12 or 14 ? x : z;
        return ((h & 1) == 0 ? u : -u) + ((h & 2) == 0 ? v : -v);
    }
}
