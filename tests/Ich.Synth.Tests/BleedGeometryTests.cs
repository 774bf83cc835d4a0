using System.Numerics;
using Ich.Synth.Anatomy;
using Ich.Synth.Bleeds;

namespace Ich.Synth.Tests;

/// <summary>Each subtype's blood lies where its anatomy allows, checked on a 1.5 mm grid over its box.</summary>
public class BleedGeometryTests
{
    private static readonly SynthOptions Options = new() { Seed = 1 };

    private static IEnumerable<(ScanPlan Plan, Bleed Bleed)> Bleeds(Subtype subtype, int max) =>
        Enumerable.Range(0, 300).Select(i => ScanPlanner.Plan(Options, i))
            .SelectMany(p => p.Bleeds.Select(b => (p, b))).Where(x => x.b.Subtype == subtype).Take(max);

    private static List<(Vector3 P, AnatomySample A)> BloodPoints(ScanPlan plan, Bleed bleed)
    {
        var points = new List<(Vector3, AnatomySample)>();
        var a = new AnatomySample();
        for (var x = bleed.BoxMin.X; x <= bleed.BoxMax.X; x += 1.5f)
            for (var y = bleed.BoxMin.Y; y <= bleed.BoxMax.Y; y += 1.5f)
                for (var z = bleed.BoxMin.Z; z <= bleed.BoxMax.Z; z += 1.5f)
                {
                    var p = new Vector3(x, y, z);
                    if (!bleed.MayContain(p, plan.Anatomy)) continue;
                    plan.Anatomy.Sample(p, ref a);
                    var hu = a.Hu;
                    if (bleed.Apply(p, a, ref hu)) points.Add((p, a));
                }
        return points;
    }

    [Fact]
    public void Epidural_Blood_StaysInsideTheLensAndDoesNotCrossSuturesOrMidline()
    {
        foreach (var (plan, bleed) in Bleeds(Subtype.Epidural, 4))
        {
            var edh = (ConvexityBleed)bleed;
            var points = BloodPoints(plan, bleed);
            Assert.NotEmpty(points);
            foreach (var (p, a) in points)
            {
                Assert.True(a.Depth > 0 && a.Depth <= edh.ThicknessMm, $"depth {a.Depth} outside (0, {edh.ThicknessMm}]");
                Assert.True(Math.Sign(p.X) == Math.Sign(edh.Direction.X), "crossed the midline");
                Assert.True((p.Y - edh.CoronalY) * (edh.CenterY - edh.CoronalY) > 0, "crossed the coronal suture");
                Assert.True((p.Y - edh.LambdoidY) * (edh.CenterY - edh.LambdoidY) > 0, "crossed the lambdoid suture");
            }
        }
    }

    [Fact]
    public void Subarachnoid_Blood_IsOnlyInSubarachnoidCsf()
    {
        foreach (var (plan, bleed) in Bleeds(Subtype.Subarachnoid, 3))
        {
            var points = BloodPoints(plan, bleed);
            Assert.NotEmpty(points);
            Assert.All(points, x => Assert.Equal(Tissue.SubarachnoidCsf, x.A.Tissue));
        }
    }

    [Fact]
    public void Intraventricular_Blood_IsInVentriclesOnTheDependentSide()
    {
        foreach (var (plan, bleed) in Bleeds(Subtype.Intraventricular, 4))
        {
            var points = BloodPoints(plan, bleed);
            Assert.NotEmpty(points);
            Assert.All(points, x => Assert.Equal(Tissue.Ventricle, x.A.Tissue));
            // Supine patient: blood settles posteriorly (world +y), i.e. on average behind the ventricles' CSF.
            var gravity = Vector3.Normalize(Vector3.Transform(Vector3.UnitY, plan.WorldToHead));
            var bloodMean = points.Average(x => Vector3.Dot(x.P, gravity));
            Assert.True(bloodMean > Vector3.Dot(plan.Anatomy.AtriumCenter, gravity) - 15);
        }
    }

    [Fact]
    public void Intraparenchymal_Blood_IsInParenchyma()
    {
        foreach (var (plan, bleed) in Bleeds(Subtype.Intraparenchymal, 4))
        {
            var points = BloodPoints(plan, bleed);
            Assert.NotEmpty(points);
            Assert.All(points, x => Assert.True(x.A.IsParenchyma || x.A.Tissue == Tissue.Calcification, x.A.Tissue.ToString()));
        }
    }

    [Fact]
    public void ConvexitySubdural_Blood_HugsTheInnerTableOnOneSide()
    {
        foreach (var (plan, bleed) in Bleeds(Subtype.Subdural, 8).Where(x => x.Bleed is ConvexityBleed).Take(4))
        {
            var sdh = (ConvexityBleed)bleed;
            var points = BloodPoints(plan, bleed);
            Assert.NotEmpty(points);
            Assert.All(points, x => Assert.True(x.A.Depth > 0 && x.A.Depth < sdh.ThicknessMm * 1.2f));
            Assert.All(points, x => Assert.Equal(Math.Sign(sdh.Direction.X), Math.Sign(x.P.X)));
        }
    }
}
