namespace Ich.Imaging;

/// <summary>
/// A display window in HU: values map linearly from [Center − Width/2, Center + Width/2] to [0, 1],
/// clipped outside. (This is the plain linear map used by the paper and by most ICH pipelines, not the
/// DICOM PS3.3 C.11.2.1.2 formula with its −0.5/−1 offsets.)
/// </summary>
public readonly record struct HuWindow(double Center, double Width)
{
    public static readonly HuWindow Brain = new(40, 80);
    public static readonly HuWindow Subdural = new(80, 200);
    public static readonly HuWindow Bone = new(600, 2800);

    /// <summary>The paper's three channels, in order: brain, subdural, bone.</summary>
    public static readonly IReadOnlyList<HuWindow> PaperChannels = [Brain, Subdural, Bone];

    /// <summary>Lowest HU of the window (maps to 0).</summary>
    public double Lower => Center - Width / 2;

    /// <summary>Highest HU of the window (maps to 1).</summary>
    public double Upper => Center + Width / 2;

    /// <summary>Maps one HU value into [0, 1], clipping outside the window; NaN maps to 0.</summary>
    public float Apply(float hu)
    {
        var v = (hu - Lower) / Width;
        return v >= 1 ? 1f : v > 0 ? (float)v : 0f;
    }

    /// <summary>Windows a whole HU plane into a new [0, 1] plane of the same length.</summary>
    public float[] Apply(ReadOnlySpan<float> hu)
    {
        var result = new float[hu.Length];
        for (var i = 0; i < hu.Length; i++) result[i] = Apply(hu[i]);
        return result;
    }

    /// <summary>Parses "center/width" (e.g. "40/80") or the names brain, subdural, bone.</summary>
    public static HuWindow Parse(string text)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case "brain": return Brain;
            case "subdural": return Subdural;
            case "bone": return Bone;
        }
        var parts = text.Split('/');
        if (parts.Length == 2
            && double.TryParse(parts[0], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var c)
            && double.TryParse(parts[1], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var w)
            && w > 0)
            return new HuWindow(c, w);
        throw new FormatException($"window '{text}': expected brain, subdural, bone or CENTER/WIDTH with WIDTH > 0");
    }

    public override string ToString() => $"{Center}/{Width}";
}
