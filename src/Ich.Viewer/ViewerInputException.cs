using Ich.Core.Errors;

namespace Ich.Viewer;

/// <summary>A <see cref="ViewerStudy"/> that cannot be shown: names the field (and slice) and the reason.</summary>
public sealed class ViewerInputException(string message, string? path = null) : IchException(message, path);
