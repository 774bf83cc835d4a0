namespace Ich.Imaging;

/// <summary>A display window in HU: values map linearly from [Center - Width/2, Center + Width/2] to [0, 1].</summary>
public readonly record struct HuWindow(double Center, double Width)
{
    public static readonly HuWindow Brain = new(40, 80);
    public static readonly HuWindow Subdural = new(80, 200);
    public static readonly HuWindow Bone = new(600, 2800);

    /// <summary>The paper's three channels, in order: brain, subdural, bone.</summary>
    public static readonly IReadOnlyList<HuWindow> PaperChannels = [Brain, Subdural, Bone];

    public double Lower => Center - Width / 2;
    public double Upper => Center + Width / 2;

    /// <summary>Maps one HU value into [0, 1], clipping outside the window.</summary>
    public float Apply(float hu)
    {
        var v = (hu - Lower) / Width;
        return v <= 0 ? 0f : v >= 1 ? 1f : (float)v;
    }
}
