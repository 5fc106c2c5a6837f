using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using WandbRunOps.Diagnostics;
using WandbRunOps.Local;
using WandbRunOps.Local.Log;
using WandbRunOps.Logs;
using WandbRunOps.Model;
using WandbRunOps.Selection;
using WandbRunOps.Sources;
using WandbRunOps.Testing;

namespace WandbRunOps.Bench;

/// <summary>
/// Get-RunLog over one large log (issue 16, "Performance"): the console lines of the whole log against the framing-only
/// read of the same file (goal ≥ 50%), and -Tail 50 (goal under 50 ms: it reads only the end).
/// </summary>
internal static class ConsoleLogScenario
{
    public static void Measure(BenchTable table, string wandb, int megabytes)
    {
        string log = Write(wandb, megabytes);
        double mb = new FileInfo(log).Length / 1048576.0;

        // The floor: every chunk reassembled and checked, nothing decoded.
        void Framing()
        {
            using var stream = new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan);
            var chunks = new LogChunkReader(stream, log);
            while (chunks.TryRead(out _))
            {
            }
        }

        var source = new LocalRunSource(new[] { wandb }, ReadDiagnostics.None);
        WandbRun run = source.GetRuns(new RunSelector(null, null), new RunListOptions(), e => throw e, CancellationToken.None).Single();
        long lines = 0;

        // The two reads alternate, best of five each: on a shared machine the load changes within seconds, and a ratio
        // of two figures taken one after the other measured the load as much as the reader.
        // The full read twice: as shipped (the framing on a prefetch thread) and with everything on the calling thread.
        // CPU time too (the process's, per read): on a machine whose cores are all taken, the wall clock of two threads
        // says more about the other processes than about the reader.
        double framing = double.MaxValue, full = double.MaxValue, oneThread = double.MaxValue;
        TimeSpan fullCpu = TimeSpan.Zero, oneThreadCpu = TimeSpan.Zero, fullCallerCpu = TimeSpan.Zero, oneThreadCallerCpu = TimeSpan.Zero;
        long threshold = LogRecordPrefetch.Threshold;
        var process = System.Diagnostics.Process.GetCurrentProcess();
        double Cpu(Action read, ref TimeSpan cpu, ref TimeSpan callerCpu)
        {
            process.Refresh();
            TimeSpan before = process.TotalProcessorTime, callerBefore = ThreadCpu.Current();
            double seconds = Timing.Seconds(read);
            process.Refresh();
            cpu += process.TotalProcessorTime - before;
            callerCpu += ThreadCpu.Current() - callerBefore;
            return seconds;
        }

        // One untimed read each first: the first read compiles the decoding, which is no part of either's CPU a read.
        source.Logs.Read(run, new LogQuery(), CancellationToken.None).LongCount();
        LogRecordPrefetch.Threshold = long.MaxValue;
        source.Logs.Read(run, new LogQuery(), CancellationToken.None).LongCount();
        LogRecordPrefetch.Threshold = threshold;
        const int Rounds = 5;
        for (int i = 0; i < Rounds; i++)
        {
            framing = Math.Min(framing, Timing.Seconds(Framing));
            full = Math.Min(full, Cpu(() => lines = source.Logs.Read(run, new LogQuery(), CancellationToken.None).LongCount(), ref fullCpu, ref fullCallerCpu));
            LogRecordPrefetch.Threshold = long.MaxValue;
            oneThread = Math.Min(oneThread, Cpu(() => source.Logs.Read(run, new LogQuery(), CancellationToken.None).LongCount(), ref oneThreadCpu, ref oneThreadCallerCpu));
            LogRecordPrefetch.Threshold = threshold;
        }

        // Warm (the first call JITs the tail path), then the best of five.
        source.Logs.Read(run, new LogQuery { Tail = 50 }, CancellationToken.None).Count();
        double tail = Timing.Best(5, () => source.Logs.Read(run, new LogQuery { Tail = 50 }, CancellationToken.None).Count());

        string label = "Get-RunLog (" + mb.ToString("N0", CultureInfo.InvariantCulture) + " MB log, " + lines + " lines)";
        table.Add(label, "framing + CRC only", mb / framing, "MB/s", "floor: every record reassembled and checked");
        string CpuPerRead(TimeSpan cpu, TimeSpan callerCpu) => "; CPU a read " + (cpu.TotalMilliseconds / Rounds).ToString("0", CultureInfo.InvariantCulture) + " ms" +
            (ThreadCpu.Available ? ", on the calling thread " + (callerCpu.TotalMilliseconds / Rounds).ToString("0", CultureInfo.InvariantCulture) + " ms" : string.Empty);
        table.Add(label, "all console lines", mb / full, "MB/s", "ratio to framing " + (framing / full).ToString("P0", CultureInfo.InvariantCulture) + " (goal ≥ 50%)" + CpuPerRead(fullCpu, fullCallerCpu));
        table.Add(label, "all console lines, one thread", mb / oneThread, "MB/s", "ratio to framing " + (framing / oneThread).ToString("P0", CultureInfo.InvariantCulture) + " (no prefetch thread)" + CpuPerRead(oneThreadCpu, oneThreadCallerCpu));
        table.Add(label, "-Tail 50", tail * 1000, "ms", "goal < 50 ms (reads only the end)");
        SmallLogs(table, wandb);
    }

    /// <summary>
    /// Where the prefetch thread starts to pay: logs of a few sizes read whole with and without it, alternately, best
    /// of many (a thread costs its start and hand-overs; a small log is read before they are paid back).
    /// </summary>
    private static void SmallLogs(BenchTable table, string wandb)
    {
        long threshold = LogRecordPrefetch.Threshold;
        foreach (int kilobytes in new[] { 32, 128, 256, 512, 1024, 4096 })
        {
            string folder = Path.Combine(Path.GetDirectoryName(wandb)!, "small" + kilobytes, "wandb");
            string log = Write(folder, kilobytes / 1024.0);
            var source = new LocalRunSource(new[] { folder }, ReadDiagnostics.None);
            WandbRun run = source.GetRuns(new RunSelector(null, null), new RunListOptions(), e => throw e, CancellationToken.None).Single();
            void Read(long threshold)
            {
                LogRecordPrefetch.Threshold = threshold;
                source.Logs.Read(run, new LogQuery(), CancellationToken.None).LongCount();
            }

            double with = double.MaxValue, without = double.MaxValue;
            int rounds = kilobytes <= 1024 ? 40 : 10;
            for (int i = 0; i < rounds; i++)
            {
                with = Math.Min(with, Timing.Seconds(() => Read(0)));
                without = Math.Min(without, Timing.Seconds(() => Read(long.MaxValue)));
            }

            LogRecordPrefetch.Threshold = threshold;
            string label = "Get-RunLog, " + (new FileInfo(log).Length / 1024) + " KB log";
            table.Add(label, "one thread / with prefetch", without * 1000, "ms", (with * 1000).ToString("0.000", CultureInfo.InvariantCulture) + " ms with the prefetch thread: " +
                (without / with).ToString("0.00", CultureInfo.InvariantCulture) + "x (threshold " + threshold / 1024 + " KB)");
        }
    }

    /// <summary>A training run's log: a history record per step, console chunks between them (progress bars redrawn
    /// with escape codes, lines split across chunks, stderr warnings), about <paramref name="megabytes"/> MB.</summary>
    private static string Write(string wandb, double megabytes)
    {
        long target = (long)(megabytes * 1024 * 1024);
        using var writer = new ConsoleRunWriter(wandb, "logs0001", DateTime.UtcNow.AddHours(-3), flushEachRecord: false);
        var file = new FileInfo(writer.LogPath);
        string bar = new string('#', 30);
        for (long step = 0; ; step++)
        {
            writer.History(step);
            writer.Stdout("\r\u001b[32m" + (step % 100).ToString("00", CultureInfo.InvariantCulture) + "%\u001b[0m |" + bar.Substring(0, (int)(step % 30)) + "| " + step + "/1000000 [00:12<01:40, 96.1it/s]");
            if (step % 10 == 0)
            {
                writer.Stdout("\nepoch " + step / 10 + ": loss=" + (1.0 / (step + 1)).ToString("R", CultureInfo.InvariantCulture) + " accuracy=0.9");
                writer.Stdout(" lr=0.0001 time=12.5s\n");
            }

            if (step % 97 == 0)
            {
                writer.Stderr("UserWarning: the dataloader is slow at step " + step + "; consider more workers\n");
            }

            if (step % (target < 4 << 20 ? 16 : 4096) == 0 && new FileInfo(writer.LogPath).Length >= target)
            {
                break;
            }
        }

        writer.Exit();
        return writer.LogPath;
    }
}
