using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Ich.Metrics.Tests")]
