using System;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace WandbRunOps.Testing;

/// <summary>
/// Writes a run folder whose log is a wandb-core style console log (header, run record, raw console chunks, exit),
/// flushed after every record so a reader that follows the log sees each one as it is written. For tests of
/// Get-RunLog (PowerShell and xunit): raw chunks with carriage returns and escape codes, invalid UTF-8, a log that
/// grows while it is read, one cut off mid-record.
/// </summary>
public sealed class ConsoleRunWriter : IDisposable
{
    private readonly FileStream _file;
    private readonly WandbLogWriter _log;
    private readonly object _gate = new();
    private readonly bool _flushEachRecord;
    private long _num;

    /// <summary>Creates <c>run-&lt;start&gt;-&lt;runId&gt;/run-&lt;runId&gt;.wandb</c> under <paramref name="wandbFolder"/>.</summary>
    /// <param name="flushEachRecord">False for a large log written at once (the bench): flushed only when disposed.</param>
    public ConsoleRunWriter(string wandbFolder, string runId, DateTime startUtc, string project = "console-tests", bool flushEachRecord = true)
    {
        _flushEachRecord = flushEachRecord;
        FolderPath = Path.Combine(wandbFolder, "run-" + startUtc.ToString("yyyyMMdd_HHmmss", System.Globalization.CultureInfo.InvariantCulture) + "-" + runId);
        Directory.CreateDirectory(Path.Combine(FolderPath, "files"));
        LogPath = Path.Combine(FolderPath, "run-" + runId + ".wandb");
        _file = new FileStream(LogPath, FileMode.Create, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        _log = new WandbLogWriter(_file);
        Time = startUtc;
        Write(Records.Header("0.21.0", ++_num));
        Write(Records.Run(new RunSpec { RunId = runId, Project = project, StartTime = startUtc }, ++_num));
    }

    public string FolderPath { get; }

    public string LogPath { get; }

    /// <summary>The time the next chunk is stamped with; each chunk moves it on by a second.</summary>
    public DateTime Time { get; set; }

    public void Stdout(string text) => Chunk(false, Encoding.UTF8.GetBytes(text));

    public void Stderr(string text) => Chunk(true, Encoding.UTF8.GetBytes(text));

    /// <summary>A raw chunk (OutputRawRecord, field 13) of any bytes, valid UTF-8 or not.</summary>
    public void Chunk(bool stderr, byte[] text)
    {
        var body = new ProtoWriter();
        if (!stderr)
        {
            body.WriteInt32(1, 1);
        }

        body.WriteTimestamp(2, Time);
        body.WriteBytes(3, text);
        Time = Time.AddSeconds(1);
        Write(Records.Raw(13, body.ToArray(), ++_num));
    }

    /// <summary>An older SDK's OutputRecord (field 4).</summary>
    public void Line(string text, bool stderr = false)
    {
        Write(Records.Output(Time, text, stderr, ++_num));
        Time = Time.AddSeconds(1);
    }

    /// <summary>A history record: console logs sit between many of them in real runs.</summary>
    public void History(long step) =>
        Write(Records.History(step, new[] { Item.ByPath(new[] { "_step" }, step.ToString(System.Globalization.CultureInfo.InvariantCulture)) }, ++_num));

    public void Exit(int code = 0) => Write(Records.Exit(code, 10, ++_num));

    /// <summary>The first <paramref name="bytes"/> bytes of a record: a writer caught mid-record.</summary>
    public void PartialChunk(string text, int bytes)
    {
        var body = new ProtoWriter();
        body.WriteInt32(1, 1);
        body.WriteBytes(3, Encoding.UTF8.GetBytes(text));
        byte[] record = Records.Raw(13, body.ToArray(), ++_num);
        lock (_gate)
        {
            using var memory = new MemoryStream();
            using (var framed = new WandbLogWriter(memory, writeHeader: false, leaveOpen: true))
            {
                framed.WriteRecord(record);
            }

            _log.WriteRaw(memory.ToArray().AsSpan(0, Math.Min(bytes, (int)memory.Length)));
            _log.Flush();
        }
    }

    /// <summary>Writes <paramref name="lines"/> as stdout chunks, one every <paramref name="delayMs"/> ms, then the exit record.</summary>
    public Task WriteSlowly(string[] lines, int delayMs, bool thenExit = true) => Task.Run(() =>
    {
        foreach (string line in lines)
        {
            Thread.Sleep(delayMs);
            Stdout(line);
        }

        if (thenExit)
        {
            Thread.Sleep(delayMs);
            Exit();
        }
    });

    private void Write(byte[] record)
    {
        lock (_gate)
        {
            _log.WriteRecord(record);
            if (_flushEachRecord)
            {
                _log.Flush();
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _log.Dispose();
            _file.Dispose();
        }
    }
}
