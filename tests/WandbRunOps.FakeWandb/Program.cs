using System.Threading.Tasks;

namespace WandbRunOps.FakeWandb;

internal static class Program
{
    private static Task<int> Main(string[] args) => Task.FromResult(0);
}
