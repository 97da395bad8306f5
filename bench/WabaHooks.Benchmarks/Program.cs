using BenchmarkDotNet.Running;
using WabaHooks.Benchmarks;

if (args is ["narrow-cpu"])
{
    NarrowCpu.Run();
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
