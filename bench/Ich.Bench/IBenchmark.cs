namespace Ich.Bench;

/// <summary>
/// One benchmark. Each prints its measurements and a ratio against a baseline measured in the same
/// run. Every implementation in this assembly is found automatically.
/// </summary>
public interface IBenchmark
{
    /// <summary>Name used on the command line: <c>bench/run NAME</c>.</summary>
    string Name { get; }
    string Description { get; }
    /// <summary>Runs the benchmark; returns the process exit code.</summary>
    int Run(string[] args);
}
