namespace Ich.Core.Errors;

/// <summary>
/// A host slice cannot take the requested synthetic bleed (no closed skull, no brain, no CSF where the
/// subtype needs it, unknown pixel spacing). Names the slice (file or ID) and the reason; callers that draw
/// hosts at random pick another host or another subtype.
/// </summary>
public sealed class InsertionHostException(string message, string? path = null) : IchException(message, path);
