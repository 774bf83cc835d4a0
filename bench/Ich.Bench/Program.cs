using Ich.Bench;

// bench/run [NAME|all] [args...]: runs one benchmark, or all of them in turn.
var benchmarks = typeof(IBenchmark).Assembly.GetTypes()
    .Where(t => t is { IsAbstract: false, IsInterface: false } && typeof(IBenchmark).IsAssignableFrom(t))
    .Select(t => (IBenchmark)Activator.CreateInstance(t)!)
    .OrderBy(b => b.Name, StringComparer.Ordinal)
    .ToList();

if (args.Length == 0 || args[0] is "-h" or "--help" or "list")
{
    Console.WriteLine("usage: bench/run NAME|all [args]");
    foreach (var b in benchmarks) Console.WriteLine($"  {b.Name,-16} {b.Description}");
    return 0;
}
var selected = args[0] == "all" ? benchmarks : benchmarks.Where(b => b.Name == args[0]).ToList();
if (selected.Count == 0) { Console.Error.WriteLine($"unknown benchmark '{args[0]}'"); return 2; }
var status = 0;
foreach (var b in selected)
{
    Console.WriteLine($"== {b.Name}: {b.Description}");
    Console.WriteLine(MachineInfo.Describe());
    try
    {
        status |= b.Run(args[1..]);
    }
    catch (BenchUsageException e)
    {
        Console.Error.WriteLine($"bench {b.Name}: {e.Message}");
        return 2;
    }
}
return status;
