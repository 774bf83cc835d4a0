using System.Runtime.InteropServices;

namespace Ich.Dicom.Codecs.Jpeg2000;

/// <summary>
/// The read/skip/seek callbacks that let OpenJPEG read a frame held in managed memory (opj_stream_create
/// + opj_stream_set_*_function) instead of a file. The user-data pointer is a <see cref="State"/> on the
/// decoding thread's stack over a pinned span, so concurrent decodes share nothing. The callbacks never
/// throw (an exception must not unwind through native frames) and never read outside [0, Length).
/// </summary>
internal static unsafe class OpenJpegMemoryStream
{
    /// <summary>Cursor over the pinned codestream bytes.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct State
    {
        public byte* Data;
        public long Length;
        public long Position;
    }

    /// <summary>opj_stream_read_fn: copies up to <paramref name="count"/> bytes; (size_t)-1 at the end, as OpenJPEG expects.</summary>
    [UnmanagedCallersOnly] // platform default convention = C on Linux
    public static nuint Read(void* buffer, nuint count, void* user)
    {
        var state = (State*)user;
        var left = state->Length - state->Position;
        if (left <= 0) return nuint.MaxValue;
        var n = (long)Math.Min((ulong)left, (ulong)count);
        Buffer.MemoryCopy(state->Data + state->Position, buffer, (long)count, n);
        state->Position += n;
        return (nuint)n;
    }

    /// <summary>opj_stream_skip_fn: moves by <paramref name="count"/> within the data; returns the distance moved, -1 when none.</summary>
    [UnmanagedCallersOnly] // platform default convention = C on Linux
    public static long Skip(long count, void* user)
    {
        var state = (State*)user;
        var target = Math.Clamp(state->Position + count, 0, state->Length);
        var moved = target - state->Position;
        if (moved == 0 && count != 0) return -1;
        state->Position = target;
        return moved;
    }

    /// <summary>opj_stream_seek_fn: goes to an absolute offset; false (0) when it is outside the data.</summary>
    [UnmanagedCallersOnly] // platform default convention = C on Linux
    public static int Seek(long offset, void* user)
    {
        var state = (State*)user;
        if (offset < 0 || offset > state->Length) return 0;
        state->Position = offset;
        return 1;
    }

    /// <summary>
    /// opj_msg_callback for errors: appends OpenJPEG's message to the <see cref="List{T}"/> behind the
    /// GCHandle in <paramref name="client"/>, so the typed error can quote the library's reason.
    /// </summary>
    [UnmanagedCallersOnly] // platform default convention = C on Linux
    public static void CollectError(byte* message, void* client)
    {
        try
        {
            if (GCHandle.FromIntPtr((nint)client).Target is List<string> messages && messages.Count < 8)
                messages.Add((Marshal.PtrToStringUTF8((nint)message) ?? "").Trim());
        }
        catch (InvalidOperationException)
        {
            // A freed handle cannot happen (the codec is destroyed before the handle), but nothing may escape here.
        }
    }
}
