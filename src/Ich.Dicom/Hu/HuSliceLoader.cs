using System.Buffers;
using Ich.Core.Errors;
using Ich.Core.Scans;
using Ich.Dicom.Pixels;
using Ich.Dicom.Reading;

namespace Ich.Dicom.Hu;

/// <summary>Reads one single-frame CT file and returns its HU slice (padding and outside-FOV → −1000).</summary>
public static class HuSliceLoader
{
    /// <summary>Reads and converts <paramref name="path"/>; every failure is an <see cref="IchException"/> naming the file.</summary>
    public static HuImage Load(string path, HuOptions? options = null) => LoadWithInfo(path, options).Image;

    /// <summary>As <see cref="Load"/>, also telling what the conversion changed.</summary>
    public static (HuImage Image, HuConversionInfo Info) LoadWithInfo(string path, HuOptions? options = null)
    {
        // The HuImage owns its own array, so the file's pooled buffer goes back as soon as it is converted.
        using var file = DicomFileReader.Read(path, DicomReadOptions.Full);
        return Convert(file, options);
    }

    /// <summary>Reads an enumerated input (file on disk or zip entry) and converts it.</summary>
    public static (HuImage Image, HuConversionInfo Info) LoadWithInfo(InputFile input, HuOptions? options = null)
    {
        using var file = input.Read(DicomReadOptions.Full);
        return Convert(file, options);
    }

    /// <summary>Converts a fully read file (pixel data included).</summary>
    public static (HuImage Image, HuConversionInfo Info) Convert(DicomFile file, HuOptions? options = null)
    {
        var path = file.Path;
        var pixels = DicomPixelData.Create(file);
        var d = pixels.Description;
        if (d.SamplesPerPixel != 1)
            throw new ModelInputException($"not a greyscale image ({d.Photometric}, {d.SamplesPerPixel} samples per pixel)", path);
        if (d.Frames != 1)
            throw new ModelInputException($"multi-frame image ({d.Frames} frames); a slice must be a single frame", path);
        // The stored values are scratch (1 MiB for a 512² slice): rented, not a new large-object array per slice.
        var samples = (int)d.SamplesPerFrame;
        var stored = ArrayPool<int>.Shared.Rent(samples);
        float[] hu;
        HuConversionInfo info;
        try
        {
            pixels.GetStoredFrame(0, stored);
            var parameters = HuParameters.FromPixelData(pixels, file.Dataset);
            hu = HuConverter.Convert(stored.AsSpan(0, samples), parameters, options, out info);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(stored);
        }
        double? spacing;
        try { spacing = file.Dataset.GetNumber(Model.DicomTags.PixelSpacing); }
        catch (FormatException e) { throw new DicomFormatException($"PixelSpacing: {e.Message}", path); }
        return (new HuImage(d.Columns, d.Rows, hu, spacing), info);
    }
}
