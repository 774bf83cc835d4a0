using System.Numerics;
using static Ich.Synth.Anatomy.ShapeMath;

namespace Ich.Synth.Anatomy;

/// <summary>
/// An analytic 3D head in head coordinates (mm; +x patient left, +y posterior, +z superior, origin at
/// the centre of the cerebrum). Every parameter (sizes, shape, thicknesses, HU values, atrophy,
/// ventricle size, gyral pattern, confounders) is drawn per scan, so no two heads are alike.
/// <see cref="Sample"/> is called millions of times per scan: it uses only cheap arithmetic and one or
/// two gradient-noise look-ups, with early exits by region.
/// </summary>
public sealed class HeadAnatomy
{
    // Cranial cavity (inner table) parts.
    private readonly Vector3 _cerebrumAxesTop, _cerebrumAxesBottom;
    private readonly float _shapeA, _shapeB, _shapeC, _shapeD;
    private readonly Ellipsoid _temporal, _posteriorFossa, _brainstem, _base, _softHead;
    // Skull and soft tissue.
    private readonly float _skull, _scalp, _tableHu, _diploeHu, _baseBoneHu, _softHu, _fatHu;
    private readonly Ellipsoid _sphenoid, _frontalSinus, _mastoid, _orbit, _globe;
    private readonly bool _hasFrontalSinus;
    private readonly Vector3 _petrousA, _petrousB;
    private readonly float _petrousRadius, _petrousHu;
    // Brain.
    private readonly float _gm, _wm, _deepGm, _csf, _brainstemHu, _cerebellumHu, _csfLayer, _sulcusWidth, _sulcusFreq, _sulcusDepth;
    private readonly float _mottle;
    private readonly float _fissureWidth, _falxHu, _venousHu, _tentoriumHu, _periventricularDrop;
    private readonly Ellipsoid _ventBody, _ventFrontal, _ventAtrium, _ventTemporal, _third, _fourth;
    private readonly Ellipsoid _caudate, _lentiform, _thalamus, _suprasellar, _quadrigeminal;
    private readonly GradientNoise _noise;
    private readonly Vector3 _headBoundInverse;
    // Confounders.
    private readonly List<(Ellipsoid Shape, float Hu, bool Mirrored)> _calcifications = new();
    private readonly List<(Ellipsoid Shape, float Drop)> _oldInfarcts = new();
    private readonly Dictionary<string, double> _styleValues = new();

    /// <summary>Draws a head; the style-dependent values (skull, contrast, calcifications) come from <paramref name="ranges"/>.</summary>
    public HeadAnatomy(SynthRandom rng, PhantomStyleRanges ranges)
    {
        // Each style value is recorded as drawn (for the style tests); the draw order is the original one.
        float Draw(StyleRange range, string name) => (float)(_styleValues[name] = range.Draw(rng));
        _noise = new GradientNoise(rng);
        float J(double spread) => rng.Uniform(1 - spread, 1 + spread);

        _cerebrumAxesTop = new Vector3(68 * J(0.06), 86 * J(0.06), 62 * J(0.08));
        _cerebrumAxesBottom = new Vector3(_cerebrumAxesTop.X, _cerebrumAxesTop.Y, 42 * J(0.08));
        _shapeA = rng.Uniform(-0.05, 0.05); _shapeB = rng.Uniform(-0.05, 0.05);
        _shapeC = rng.Uniform(-0.04, 0.04); _shapeD = rng.Uniform(-0.05, 0.05);
        _temporal = new Ellipsoid(new(44 * J(0.05), -8 + rng.Uniform(-4, 4), -30 * J(0.06)), new(20 * J(0.1), 34 * J(0.08), 20 * J(0.1)));
        _posteriorFossa = new Ellipsoid(new(0, 42 * J(0.06), -38 * J(0.05)), new(50 * J(0.06), 34 * J(0.08), 26 * J(0.08)));
        _brainstem = new Ellipsoid(new(0, 14 * J(0.1), -40), new(13 * J(0.1), 12 * J(0.1), 34));
        _softHead = new Ellipsoid(new(0, 8, -46), new(_cerebrumAxesTop.X + rng.Uniform(6, 12), _cerebrumAxesTop.Y + rng.Uniform(3, 9), 34));
        _base = new Ellipsoid(new(0, 5, -46 * J(0.04)), new(62 * J(0.05), 82 * J(0.05), 26 * J(0.1)));

        _skull = Draw(ranges.SkullMm, nameof(ranges.SkullMm));
        _scalp = Draw(ranges.ScalpMm, nameof(ranges.ScalpMm));
        // Every non-air part lies within this origin-centred ellipsoid (cavity shape modulation ≤ 19 %,
        // skull, scalp and temporalis ≤ 21 mm, orbits and soft head at the base within 105 mm).
        var pad = _skull + _scalp + 6;
        _headBoundInverse = Vector3.One / new Vector3(MathF.Max(_cerebrumAxesTop.X * 1.2f + pad, 96), MathF.Max(_cerebrumAxesTop.Y * 1.2f + pad, 112), _cerebrumAxesTop.Z * 1.2f + pad + 60);
        _tableHu = rng.Uniform(1300, 1900);
        _diploeHu = rng.Uniform(450, 900);
        _baseBoneHu = rng.Uniform(900, 1500);
        _softHu = rng.Uniform(25, 50);
        _fatHu = rng.Uniform(-90, -30);
        _sphenoid = new Ellipsoid(new(0, -10 * J(0.3), -46), new(15 * J(0.2), 13 * J(0.2), 11 * J(0.2)));
        _hasFrontalSinus = rng.Chance(0.8);
        _frontalSinus = new Ellipsoid(new(0, -84 * J(0.03), -8 * J(0.5)), new(17 * J(0.3), 7 * J(0.3), 12 * J(0.3)));
        _mastoid = new Ellipsoid(new(50 * J(0.05), 28 * J(0.1), -46), new(11 * J(0.2), 13 * J(0.2), 11 * J(0.2)));
        _orbit = new Ellipsoid(new(31 * J(0.05), -60 * J(0.04), -46 * J(0.04)), new(15, 18, 14));
        _globe = new Ellipsoid(new(_orbit.Center.X, _orbit.Center.Y - 8, _orbit.Center.Z), new(11, 11, 11));
        _petrousA = new Vector3(16, 18 * J(0.1), -40 * J(0.04));
        _petrousB = new Vector3(50 * J(0.05), 38 * J(0.1), -44 * J(0.04));
        _petrousRadius = rng.Uniform(6, 9);
        _petrousHu = rng.Uniform(1600, 2400);

        var calibration = Draw(ranges.CalibrationHu, nameof(ranges.CalibrationHu));
        _gm = Draw(ranges.GrayMatterHu, nameof(ranges.GrayMatterHu)) + calibration;
        _wm = _gm - Draw(ranges.GrayWhiteDifferenceHu, nameof(ranges.GrayWhiteDifferenceHu));
        _deepGm = _gm - rng.Uniform(0, 4);
        _csf = rng.Uniform(0, 12) + calibration * 0.5f;
        _brainstemHu = _wm + rng.Uniform(0, 4);
        _cerebellumHu = _gm - rng.Uniform(0, 4);
        var atrophy = (float)Math.Pow(rng.NextDouble(), 1.5); // 0 young .. 1 old
        _csfLayer = 0.8f + 3.2f * atrophy * rng.Uniform(0.5, 1);
        _sulcusWidth = 0.06f + 0.12f * atrophy;
        _sulcusFreq = 1 / rng.Uniform(9, 14);
        _sulcusDepth = rng.Uniform(16, 24);
        _fissureWidth = 1.2f + 2.5f * atrophy;
        _falxHu = rng.Chance(0.4) ? rng.Uniform(70, 140) : rng.Uniform(40, 65); // dense falx confounder
        _venousHu = rng.Uniform(42, 62);
        _tentoriumHu = rng.Uniform(36, 55);
        _periventricularDrop = rng.Chance(0.3) ? rng.Uniform(3, 8) * atrophy : 0;
        var vs = rng.Uniform(0.75, 1.25) * (1 + 0.7f * atrophy) * (rng.Chance(0.05) ? 1.6f : 1f);
        _ventBody = new Ellipsoid(new(6 + 4 * vs, 2, 18), new(4.5f * vs, 27, 7.5f * vs));
        _ventFrontal = new Ellipsoid(new(4.5f + 3 * vs, -25, 11), new(4.5f * vs, 11, 8 * vs));
        _ventAtrium = new Ellipsoid(new(17 + 3 * vs, 30, 9), new(6.5f * vs, 13, 7 * vs));
        _ventTemporal = new Ellipsoid(new(31, 2, -20), new(2.5f * vs, 13, 3.5f * vs));
        _third = new Ellipsoid(new(0, 4, -1), new(1.6f * vs, 15, 9));
        _fourth = new Ellipsoid(new(0, 30 * J(0.05), -38), new(7 * vs, 4.5f * vs, 7));
        _caudate = new Ellipsoid(new(12 + 2 * vs, -18, 10), new(5.5f, 11, 8));
        _lentiform = new Ellipsoid(new(22 + 2 * vs, -4, 1), new(7, 14, 9));
        _thalamus = new Ellipsoid(new(9 + 2 * vs, 13, 3), new(8, 13, 9));
        _suprasellar = new Ellipsoid(new(0, -10, -17 * J(0.1)), new(13 * J(0.2), 9 * J(0.2), 5.5f));
        _quadrigeminal = new Ellipsoid(new(0, 29, -9), new(8, 5, 6));

        // Bright negatives: calcifications a radiologist ignores (the model must too).
        if (rng.Chance(ranges.ChoroidPlexusChance)) // choroid plexus in both atria
            _calcifications.Add((new Ellipsoid(_ventAtrium.Center + new Vector3(0, 2, -2), new Vector3(rng.Uniform(1.5, 4.5))),
                Draw(ranges.ChoroidPlexusHu, nameof(ranges.ChoroidPlexusHu)), true));
        if (rng.Chance(ranges.PinealChance)) // pineal gland
            _calcifications.Add((new Ellipsoid(new(0, 22, 1), new Vector3(rng.Uniform(1.5, 3.5))), Draw(ranges.PinealHu, nameof(ranges.PinealHu)), false));
        if (rng.Chance(0.15)) // globus pallidus
            _calcifications.Add((new Ellipsoid(_lentiform.Center + new Vector3(-4, 0, 0), new(rng.Uniform(1.5, 4), rng.Uniform(2, 6), rng.Uniform(1.5, 4))), rng.Uniform(60, 220), true));
        if (rng.Chance(ranges.FalxCalcificationChance)) // falx plaque
            _calcifications.Add((new Ellipsoid(new(0, rng.Uniform(-50, 40), rng.Uniform(20, 50)), new(1.2f, rng.Uniform(3, 9), rng.Uniform(2, 5))),
                Draw(ranges.FalxCalcificationHu, nameof(ranges.FalxCalcificationHu)), false));
        if (rng.Chance(0.15)) // old infarct / encephalomalacia: dark, not bleed
            _oldInfarcts.Add((new Ellipsoid(new(rng.Uniform(-50, 50), rng.Uniform(-50, 60), rng.Uniform(-5, 45)), new Vector3(rng.Uniform(6, 18), rng.Uniform(6, 18), rng.Uniform(6, 18))), rng.Uniform(8, 25)));
        _mottle = rng.Uniform(0, 2.5); // low-frequency white-matter inhomogeneity, HU (drawn last: earlier draws unchanged)
    }

    /// <summary>
    /// Conservative: false guarantees the point is air (beyond scalp and soft tissue), so renderers can
    /// skip the full evaluation for most of the field of view.
    /// </summary>
    public bool MayBeHead(Vector3 p)
    {
        var q = p * _headBoundInverse;
        return Vector3.Dot(q, q) < 1;
    }

    /// <summary>Lowest and highest z (mm) of the head worth scanning: skull base to vertex.</summary>
    public float VertexZ => _cerebrumAxesTop.Z + _skull + _scalp;

    /// <summary>Half extent of the head in x and y (mm), for placement in the field of view.</summary>
    public Vector2 HalfExtent => new(_cerebrumAxesTop.X + _skull + _scalp + 4, _cerebrumAxesTop.Y + _skull + _scalp + 4);

    /// <summary>Centres useful to place bleeds (deep nuclei, ventricles, cisterns).</summary>
    public Vector3 LentiformCenter => _lentiform.Center;
    public Vector3 ThalamusCenter => _thalamus.Center;
    public Vector3 AtriumCenter => _ventAtrium.Center;
    public Vector3 SuprasellarCenter => _suprasellar.Center;
    public Vector3 PosteriorFossaCenter => _posteriorFossa.Center;
    public Vector3 CerebrumAxes => _cerebrumAxesTop;
    public float GrayMatterHu => _gm;

    /// <summary>The drawn value of each style parameter this head owns, by <see cref="PhantomStyleRanges"/> property name.</summary>
    public IReadOnlyDictionary<string, double> StyleValues => _styleValues;
    public float CsfHu => _csf;

    /// <summary>Conservative: false guarantees <see cref="Sample"/> does not return <see cref="Tissue.Ventricle"/>.</summary>
    public bool MayBeVentricle(Vector3 p) =>
        _fourth.K2(p) < 1 || _ventBody.K2Mirrored(p) < 1 || _ventFrontal.K2Mirrored(p) < 1 || _ventAtrium.K2Mirrored(p) < 1
        || _ventTemporal.K2Mirrored(p) < 1 || _third.K2(p) < 1;

    /// <summary>Signed distance to the posterior-fossa surface (the tentorium above it), mm.</summary>
    public float PosteriorFossaDistance(Vector3 p) => _posteriorFossa.Distance(p);

    /// <summary>Approximate signed distance to the inner table (negative inside the cranial cavity).</summary>
    public float CavityDistance(Vector3 p)
    {
        var axes = p.Z > 0 ? _cerebrumAxesTop : _cerebrumAxesBottom;
        var q = p / axes;
        var k = q.Length();
        var r = p.Length();
        float dc;
        if (k < 1e-4f) dc = -axes.Z;
        else
        {
            var n = p / MathF.Max(r, 1e-3f);
            var modulation = 1 + _shapeA * n.X * n.Y + _shapeB * (n.Y * n.Y - n.X * n.X) + _shapeC * n.Y * n.Z + _shapeD * n.Y * n.Y * n.Y;
            dc = r * (1 - modulation / k);
        }
        if (p.Z > -5) return dc;
        var d = SmoothMin(dc, _temporal.DistanceMirrored(p), 10);
        d = SmoothMin(d, _posteriorFossa.Distance(p), 10);
        return SmoothMin(d, _brainstem.Distance(p), 6);
    }

    public void Sample(Vector3 p, ref AnatomySample s)
    {
        s.VentriclePart = 0;
        var dc = CavityDistance(p);
        s.Depth = -dc;
        if (p.Z < -22 && p.Z > -62 && SegmentDistance(new Vector3(MathF.Abs(p.X), p.Y, p.Z), _petrousA, _petrousB) < _petrousRadius)
        {
            s.Tissue = Tissue.Bone; s.Hu = _petrousHu; return;
        }
        if (dc >= 0) { Outside(p, dc, ref s); return; }
        Inside(p, -dc, ref s);
    }

    private void Outside(Vector3 p, float dc, ref AnatomySample s)
    {
        var lowHead = p.Z < -15;
        var dBase = lowHead ? _base.Distance(p) : 1e9f;
        if (lowHead && _orbit.K2Mirrored(p) < 1)
        {
            var globe = _globe.K2Mirrored(p) < 1;
            s.Tissue = Tissue.Orbit; s.Hu = globe ? 12 : _fatHu; return;
        }
        var outer = MathF.Min(dc - _skull, dBase);
        if (lowHead) outer = MathF.Min(outer, _softHead.Distance(p));
        if (dc < _skull || dBase < 0)
        {
            if (lowHead)
            {
                if (_sphenoid.K2(p) < 1) { s.Tissue = Tissue.SinusAir; s.Hu = -950; return; }
                if (_mastoid.K2Mirrored(p) < 1 && _noise.Sample(p * 0.35f) > -0.1f) { s.Tissue = Tissue.SinusAir; s.Hu = -900; return; }
            }
            else if (_hasFrontalSinus && p.Y < -60 && _frontalSinus.K2(p) < 1) { s.Tissue = Tissue.SinusAir; s.Hu = -950; return; }
            s.Tissue = Tissue.Bone;
            if (dc < _skull && dBase >= 0)
            {
                var f = dc / _skull;
                s.Hu = f is < 0.3f or > 0.72f ? _tableHu : _diploeHu;
            }
            else s.Hu = _baseBoneHu + 250 * _noise.Sample(p * 0.2f);
            return;
        }
        var scalp = _scalp + (p.Z < 25 && p.Z > -35 ? 6 * MathF.Max(0, MathF.Abs(p.X) / _cerebrumAxesTop.X - 0.55f) : 0);
        if (outer < scalp)
        {
            var f = outer / scalp;
            s.Tissue = f is > 0.3f and < 0.45f ? Tissue.Fat : Tissue.Soft;
            s.Hu = s.Tissue == Tissue.Fat ? _fatHu : _softHu;
            return;
        }
        s.Tissue = Tissue.Air; s.Hu = -1000;
    }

    private void Inside(Vector3 p, float depth, ref AnatomySample s)
    {
        var ax = MathF.Abs(p.X);
        // Dural venous sinus along the vertex midline: a bright, bleed-like triangle under the inner table.
        if (ax < 3.5f * (1 - depth / 6) && p.Z > -10) { s.Tissue = Tissue.VenousSinus; s.Hu = _venousHu; return; }
        var inFossa = _posteriorFossa.K2(p) < 1;
        // Interhemispheric fissure and falx above the corpus callosum (down to the base at the front and back).
        var callosumZ = 14 - 56 * SmoothStep(24, 40, MathF.Abs(p.Y + 4));
        if (!inFossa && p.Z > callosumZ && ax < _fissureWidth + 0.8f)
        {
            if (ax < 0.7f) { s.Tissue = Tissue.Dura; s.Hu = _falxHu; }
            else { s.Tissue = Tissue.SubarachnoidCsf; s.Hu = _csf; }
            AddCalcifications(p, ref s);
            return;
        }
        if (depth < _csfLayer) { s.Tissue = Tissue.SubarachnoidCsf; s.Hu = _csf; return; }
        if (p.Z < -5)
        {
            // Tentorium: the upper surface of the posterior fossa under the occipital lobes.
            var dP = _posteriorFossa.Distance(p);
            if (MathF.Abs(dP) < 0.6f && p.Z > _posteriorFossa.Center.Z + 6 && p.Y > _posteriorFossa.Center.Y - 4) { s.Tissue = Tissue.Dura; s.Hu = _tentoriumHu; return; }
            if (_brainstem.K2(p) < 1 && p.Z < -9) { s.Tissue = Tissue.Brainstem; s.Hu = _brainstemHu; return; }
            if (p.Z > -34)
            {
                if (_suprasellar.K2(p) < 1 || _quadrigeminal.K2(p) < 1) { s.Tissue = Tissue.SubarachnoidCsf; s.Hu = _csf; return; }
                var kb = _brainstem.K2(p);
                if (kb < 1.22f && p.Z < -9 && p.Y > _brainstem.Center.Y - 4) { s.Tissue = Tissue.SubarachnoidCsf; s.Hu = _csf; return; } // ambient cistern
            }
            if (inFossa)
            {
                if (_fourth.K2(p) < 1) { s.Tissue = Tissue.Ventricle; s.Hu = _csf; s.VentriclePart = 4; return; }
                var folia = _noise.Sample(p * 0.28f);
                if (MathF.Abs(folia) < 0.07f + _sulcusWidth * 0.5f && depth < 18) { s.Tissue = Tissue.SubarachnoidCsf; s.Hu = _csf; return; }
                s.Tissue = Tissue.Cerebellum; s.Hu = _cerebellumHu + 3 * folia; return;
            }
        }
        // Sylvian fissures: CSF clefts running in from the lateral surface above the temporal lobes.
        if (ax > 30 && p.Z > -24 && p.Z < 10 && depth < 30)
        {
            var ys = -12 + 0.15f * (ax - 25) + 0.25f * p.Z + 6 * _noise.Sample(p * 0.06f);
            if (MathF.Abs(p.Y - ys) < (0.7f + _sulcusWidth * 8) * (1 - depth / 30)) { s.Tissue = Tissue.SubarachnoidCsf; s.Hu = _csf; return; }
        }
        if (depth > 12 && ax < 45 && p.Z > -32 && p.Z < 34 && p.Y > -48 && p.Y < 50)
        {
            var part = (byte)(p.X >= 0 ? 1 : 2);
            if (_ventBody.K2Mirrored(p) < 1 || _ventFrontal.K2Mirrored(p) < 1 || _ventAtrium.K2Mirrored(p) < 1 || _ventTemporal.K2Mirrored(p) < 1)
            { s.Tissue = Tissue.Ventricle; s.Hu = _csf; s.VentriclePart = part; AddCalcifications(p, ref s); return; }
            if (_third.K2(p) < 1) { s.Tissue = Tissue.Ventricle; s.Hu = _csf; s.VentriclePart = 3; AddCalcifications(p, ref s); return; }
            if (_caudate.K2Mirrored(p) < 1 || _lentiform.K2Mirrored(p) < 1 || _thalamus.K2Mirrored(p) < 1)
            { s.Tissue = Tissue.DeepGray; s.Hu = _deepGm; AddCalcifications(p, ref s); return; }
        }
        if (depth < _sulcusDepth)
        {
            var n = _noise.Sample(p * _sulcusFreq);
            var a = MathF.Abs(n);
            var fade = 1 - depth / _sulcusDepth;
            if (a < _sulcusWidth * fade) { s.Tissue = Tissue.SubarachnoidCsf; s.Hu = _csf; return; }
            if (a < (_sulcusWidth + 0.18f) * fade + 0.02f || depth < _csfLayer + 2.5f)
            { s.Tissue = Tissue.Gray; s.Hu = _gm; AddInfarct(p, ref s); return; }
        }
        s.Tissue = Tissue.White;
        s.Hu = _mottle > 0.3f ? _wm + _mottle * _noise.Sample(p * 0.07f + new Vector3(31.7f)) : _wm;
        if (_periventricularDrop > 0 && depth > 25 && ax < 32 && MathF.Abs(p.Z - 15) < 14) s.Hu -= _periventricularDrop;
        AddInfarct(p, ref s);
        AddCalcifications(p, ref s);
    }

    private void AddCalcifications(Vector3 p, ref AnatomySample s)
    {
        foreach (var (shape, hu, mirrored) in _calcifications)
            if ((mirrored ? shape.K2Mirrored(p) : shape.K2(p)) < 1) { s.Tissue = Tissue.Calcification; s.Hu = hu; return; }
    }

    private void AddInfarct(Vector3 p, ref AnatomySample s)
    {
        foreach (var (shape, drop) in _oldInfarcts)
            if (shape.K2(p) < 1) s.Hu -= drop;
    }
}
