using System.CommandLine;

namespace Ich.Cli.Commands;

/// <summary>Finds every <see cref="ICliVerb"/> in this assembly, ordered by verb name.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All() =>
        typeof(CommandCatalog).Assembly.GetTypes()
            .Where(t => t is { IsAbstract: false, IsInterface: false } && typeof(ICliVerb).IsAssignableFrom(t))
            .Select(t => ((ICliVerb)Activator.CreateInstance(t)!).Build())
            .OrderBy(c => c.Name, StringComparer.Ordinal);
}
