using System;
using System.Runtime.InteropServices;

namespace WandbRunOps.Bench;

/// <summary>
/// The CPU time of the calling thread (Linux: clock_gettime(CLOCK_THREAD_CPUTIME_ID); elsewhere not measured). What a
/// read costs the thread that decodes, apart from the prefetch thread: a figure the other processes on a shared machine
/// do not move, unlike the wall clock of two threads competing with them for two cores.
/// </summary>
internal static class ThreadCpu
{
    private const int ThreadCpuClock = 3;

    public static bool Available { get; } = OperatingSystem.IsLinux();

    public static TimeSpan Current()
    {
        if (!Available || clock_gettime(ThreadCpuClock, out Timespec time) != 0)
        {
            return TimeSpan.Zero;
        }

        return TimeSpan.FromTicks(time.Seconds * TimeSpan.TicksPerSecond + time.Nanoseconds / 100);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", SetLastError = false)]
    private static extern int clock_gettime(int clock, out Timespec time);
}
