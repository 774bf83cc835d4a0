using TorchSharp;

namespace Ich.Model.Runtime;

/// <summary>
/// Scalars that live for the whole process, for calls that would otherwise make a temporary one.
/// <para>
/// <c>tensor.add_(other)</c> passes an implicit alpha of 1 to libtorch as a new <c>Scalar</c> that only a finalizer
/// frees; a garbage collection during the native call can free it mid-call (see <see cref="NativeRetry"/>). It was
/// seen in a residual add while a model folder was loaded for a check. A static scalar is never finalized.
/// </para>
/// </summary>
public static class NativeScalars
{
    /// <summary>1, the alpha of a plain in-place add.</summary>
    public static readonly Scalar One = 1.ToScalar();
}
