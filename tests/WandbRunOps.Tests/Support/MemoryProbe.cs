using System;
using System.Globalization;
using System.IO;
using System.Linq;

namespace WandbRunOps.Tests.Support
{
    /// <summary>
    /// What a command costs in memory: the bytes allocated in the process meanwhile (every thread, exact), and on Linux
    /// how far the peak resident set rose above where it stood (the peak is reset through /proc/self/clear_refs).
    /// </summary>
    public sealed class MemoryProbe
    {
        private readonly long _allocated;
        private readonly long? _resident;

        private MemoryProbe(long allocated, long? resident)
        {
            _allocated = allocated;
            _resident = resident;
        }

        public static MemoryProbe Start()
        {
            long? resident = null;
            try
            {
                File.WriteAllText("/proc/self/clear_refs", "5");
                resident = Status("VmRSS");
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                // Not Linux, or not allowed: the allocation alone is measured.
            }

            return new MemoryProbe(GC.GetTotalAllocatedBytes(true), resident);
        }

        public Growth Stop()
        {
            long allocated = GC.GetTotalAllocatedBytes(true) - _allocated;
            long? peak = _resident is long before && Status("VmHWM") is long high ? Math.Max(0, high - before) : null;
            return new Growth(allocated, peak);
        }

        /// <summary>A field of /proc/self/status in bytes (the file gives kB), or null.</summary>
        private static long? Status(string field)
        {
            string? line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith(field + ":", StringComparison.Ordinal));
            return line is null ? null : long.Parse(line.Substring(field.Length + 1).Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        }

        public readonly record struct Growth(long AllocatedBytes, long? PeakResidentGrowthBytes)
        {
            public override string ToString() =>
                Mib(AllocatedBytes) + " allocated" + (PeakResidentGrowthBytes is long peak ? ", peak RSS +" + Mib(peak) : string.Empty);

            private static string Mib(long bytes) => (bytes / (1024.0 * 1024)).ToString("#,0.#", CultureInfo.InvariantCulture) + " MiB";
        }
    }
}
