namespace Ich.TestKit.Serve;

/// <summary>
/// What <see cref="ServeProcess"/> runs: <c>dotnet DLL COMMAND... --urls http://127.0.0.1:PORT ARGS...</c>, and how long
/// it may take to answer <c>/healthz</c>.
/// </summary>
/// <param name="Dll">The entry assembly.</param>
/// <param name="Command">Arguments before <c>--urls</c> (the verb, e.g. <c>serve</c>).</param>
/// <param name="Readiness">The bound on the wait for <c>/healthz</c>.</param>
public sealed record ServeLaunch(string Dll, IReadOnlyList<string> Command, TimeSpan Readiness)
{
    /// <summary>The CLI as <c>dotnet test</c> builds it (test projects that use it reference Ich.Cli).</summary>
    public static string CliDll => Path.Combine(RepoPaths.Root, "artifacts", "bin", "Ich.Cli", "Release", "net10.0", "ich.dll");

    /// <summary><c>ich serve</c> with the real study processor; loading a model makes its start slower.</summary>
    public static ServeLaunch IchServe => new(CliDll, ["serve"], TimeSpan.FromSeconds(120));

    /// <summary>The service test host (the real service with the test double processor), copied beside the test assembly.</summary>
    public static ServeLaunch TestHost => new(Path.Combine(AppContext.BaseDirectory, "Ich.Serve.TestHost.dll"), [], TimeSpan.FromSeconds(60));
}
