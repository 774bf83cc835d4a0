using System.Runtime.InteropServices;

namespace Ich.Dicom.Codecs.Jpeg2000;

/// <summary>
/// The OpenJPEG 2.x shared library (<c>libopenjp2.so.7</c>, Debian package libopenjp2-7), loaded at run
/// time with <see cref="NativeLibrary"/> and called through unmanaged function pointers.
/// WHY function pointers rather than [LibraryImport]: the library is optional (without it JPEG 2000 is
/// "unsupported", as before), its name must be injectable so a test can force the "absent" path, and a
/// DllImport resolver is one per assembly and caches its first answer for the process. Every export is
/// resolved up front, so a library that loads but lacks a function counts as absent rather than failing
/// in the middle of a decode. Only blittable types cross the boundary (no marshalling stubs).
/// Instances are immutable after loading and shared by all threads; the library is never unloaded.
/// </summary>
internal sealed unsafe class OpenJpegLibrary
{
    /// <summary>The names tried by default: the Debian soname first, then the unversioned development link.</summary>
    public static readonly IReadOnlyList<string> DefaultNames = ["libopenjp2.so.7", "libopenjp2.so", "openjp2"];

    /// <summary>What a user has to do when the library is missing (named in the "unsupported" error).</summary>
    public const string InstallHint = "JPEG 2000 needs the OpenJPEG library libopenjp2.so.7: apt-get install libopenjp2-7";

    // OPJ_CODEC_FORMAT values (openjpeg.h).
    public const int CodecJ2k = 0;
    public const int CodecJp2 = 2;

    private OpenJpegLibrary(string name, nint handle)
    {
        Name = name;
        Version = Marshal.PtrToStringUTF8(((delegate* unmanaged<nint>)Export(handle, "opj_version"))()) ?? "?";
        CreateDecompress = (delegate* unmanaged<int, nint>)Export(handle, "opj_create_decompress");
        DestroyCodec = (delegate* unmanaged<nint, void>)Export(handle, "opj_destroy_codec");
        SetDefaultDecoderParameters = (delegate* unmanaged<void*, void>)Export(handle, "opj_set_default_decoder_parameters");
        SetupDecoder = (delegate* unmanaged<nint, void*, int>)Export(handle, "opj_setup_decoder");
        SetErrorHandler = (delegate* unmanaged<nint, delegate* unmanaged<byte*, void*, void>, void*, int>)Export(handle, "opj_set_error_handler");
        ReadHeader = (delegate* unmanaged<nint, nint, OpenJpegImage**, int>)Export(handle, "opj_read_header");
        DecodeImage = (delegate* unmanaged<nint, nint, OpenJpegImage*, int>)Export(handle, "opj_decode");
        EndDecompress = (delegate* unmanaged<nint, nint, int>)Export(handle, "opj_end_decompress");
        ImageDestroy = (delegate* unmanaged<OpenJpegImage*, void>)Export(handle, "opj_image_destroy");
        StreamCreate = (delegate* unmanaged<nuint, int, nint>)Export(handle, "opj_stream_create");
        StreamDestroy = (delegate* unmanaged<nint, void>)Export(handle, "opj_stream_destroy");
        StreamSetReadFunction = (delegate* unmanaged<nint, delegate* unmanaged<void*, nuint, void*, nuint>, void>)Export(handle, "opj_stream_set_read_function");
        StreamSetSkipFunction = (delegate* unmanaged<nint, delegate* unmanaged<long, void*, long>, void>)Export(handle, "opj_stream_set_skip_function");
        StreamSetSeekFunction = (delegate* unmanaged<nint, delegate* unmanaged<long, void*, int>, void>)Export(handle, "opj_stream_set_seek_function");
        StreamSetUserData = (delegate* unmanaged<nint, void*, void*, void>)Export(handle, "opj_stream_set_user_data");
        StreamSetUserDataLength = (delegate* unmanaged<nint, ulong, void>)Export(handle, "opj_stream_set_user_data_length");
    }

    /// <summary>The library name that loaded.</summary>
    public string Name { get; }
    /// <summary>OpenJPEG's own version string (opj_version()).</summary>
    public string Version { get; }

    public delegate* unmanaged<int, nint> CreateDecompress { get; }
    public delegate* unmanaged<nint, void> DestroyCodec { get; }
    public delegate* unmanaged<void*, void> SetDefaultDecoderParameters { get; }
    public delegate* unmanaged<nint, void*, int> SetupDecoder { get; }
    public delegate* unmanaged<nint, delegate* unmanaged<byte*, void*, void>, void*, int> SetErrorHandler { get; }
    public delegate* unmanaged<nint, nint, OpenJpegImage**, int> ReadHeader { get; }
    public delegate* unmanaged<nint, nint, OpenJpegImage*, int> DecodeImage { get; }
    public delegate* unmanaged<nint, nint, int> EndDecompress { get; }
    public delegate* unmanaged<OpenJpegImage*, void> ImageDestroy { get; }
    public delegate* unmanaged<nuint, int, nint> StreamCreate { get; }
    public delegate* unmanaged<nint, void> StreamDestroy { get; }
    public delegate* unmanaged<nint, delegate* unmanaged<void*, nuint, void*, nuint>, void> StreamSetReadFunction { get; }
    public delegate* unmanaged<nint, delegate* unmanaged<long, void*, long>, void> StreamSetSkipFunction { get; }
    public delegate* unmanaged<nint, delegate* unmanaged<long, void*, int>, void> StreamSetSeekFunction { get; }
    public delegate* unmanaged<nint, void*, void*, void> StreamSetUserData { get; }
    public delegate* unmanaged<nint, ulong, void> StreamSetUserDataLength { get; }

    /// <summary>
    /// Loads the first of <paramref name="names"/> that exists and exports every function used, or returns
    /// null with the reason (names tried, missing export, or a 1.x library).
    /// </summary>
    public static OpenJpegLibrary? TryLoad(IEnumerable<string> names, out string reason)
    {
        var tried = new List<string>();
        foreach (var name in names)
        {
            tried.Add(name);
            if (!NativeLibrary.TryLoad(name, typeof(OpenJpegLibrary).Assembly, DllImportSearchPath.SafeDirectories | DllImportSearchPath.AssemblyDirectory, out var handle))
                continue;
            try
            {
                var library = new OpenJpegLibrary(name, handle);
                if (!library.Version.StartsWith("2.", StringComparison.Ordinal))
                {
                    reason = $"{name} is OpenJPEG {library.Version}; version 2.x is required. {InstallHint}";
                    return null;
                }
                reason = "";
                return library;
            }
            catch (EntryPointNotFoundException e)
            {
                reason = $"{name} loaded but {e.Message}. {InstallHint}";
                return null;
            }
        }
        reason = $"none of {string.Join(", ", tried)} could be loaded. {InstallHint}";
        return null;
    }

    private static nint Export(nint handle, string name) =>
        NativeLibrary.TryGetExport(handle, name, out var address) && address != 0
            ? address
            : throw new EntryPointNotFoundException($"it has no export {name}");
}
