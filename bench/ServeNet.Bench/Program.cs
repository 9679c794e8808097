using ServeNet.Bench;

// Benchmarks print a table and then machine-readable "name: value" lines; see docs/benchmarks.md.
return BenchCommandLine.Build().Parse(args).Invoke();
