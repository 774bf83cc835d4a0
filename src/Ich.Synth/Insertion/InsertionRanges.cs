namespace Ich.Synth.Insertion;

/// <summary>A closed range [Min, Max] drawn uniformly.</summary>
public readonly record struct Range(double Min, double Max)
{
    public double Draw(SynthRandom rng) => Min + (Max - Min) * rng.NextDouble();
}

/// <summary>
/// Every size and density range of the synthetic bleeds inserted into real slices (docs/phantoms.md, "Bleeds
/// in real anatomy", lists the same values). Lengths in mm, densities in HU.
/// </summary>
public sealed record InsertionRanges
{
    /// <summary>Mean blood density per subtype (acute clot 50–90 HU; SAH diluted by CSF, so lower).</summary>
    public Range EpiduralHu { get; init; } = new(55, 85);
    public Range SubduralHu { get; init; } = new(50, 80);
    public Range SubarachnoidHu { get; init; } = new(40, 70);
    public Range IntraventricularHu { get; init; } = new(45, 80);
    public Range IntraparenchymalHu { get; init; } = new(55, 90);
    /// <summary>All inserted blood is clamped to this range before noise (the 40–90 HU).</summary>
    public Range BloodHu { get; init; } = new(40, 90);
    /// <summary>Amplitude of the smooth clot texture (gradient noise, ~6 mm features) added to the mean.</summary>
    public Range TextureHu { get; init; } = new(2, 8);

    /// <summary>Epidural lens: half-length along the inner table and maximal thickness.</summary>
    public Range EpiduralHalfLengthMm { get; init; } = new(12, 30);
    public Range EpiduralThicknessMm { get; init; } = new(6, 20);
    /// <summary>Subdural crescent: half-length along the inner table and maximal thickness.</summary>
    public Range SubduralHalfLengthMm { get; init; } = new(30, 75);
    public Range SubduralThicknessMm { get; init; } = new(3, 12);
    /// <summary>Subarachnoid: CSF within this radius of a centre and this depth below the inner table.</summary>
    public Range SubarachnoidRadiusMm { get; init; } = new(12, 35);
    public double SubarachnoidMaxDepthMm { get; init; } = 15;
    /// <summary>Intraventricular: ventricles are CSF at least this deep (and half the slice's maximal depth); filled from the dependent (posterior) side by this fraction.</summary>
    public double VentricleMinDepthMm { get; init; } = 15;
    public Range VentricleFillFraction { get; init; } = new(0.3, 1.0);
    /// <summary>Intraparenchymal ellipse semi-axes and the hypodense edema rim around it (width, HU drop).</summary>
    public Range IntraparenchymalRadiusMm { get; init; } = new(4, 22);
    public Range EdemaWidthMm { get; init; } = new(2, 8);
    public Range EdemaDropHu { get; init; } = new(4, 12);
    /// <summary>Smallest bleed kept (the phantom label threshold, <see cref="PhantomGenerator.MinAreaMm2"/>, with margin).</summary>
    public double MinAreaMm2 { get; init; } = 10;
    /// <summary>Placement attempts before the host is declared unable to take the subtype.</summary>
    public int MaxAttempts { get; init; } = 40;
}
