using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;

namespace WandbRunOps.FakeWandb;

/// <summary>
/// A project's runs made on demand from their index instead of held in memory, so the server can serve a project of
/// millions of runs in constant memory (the bench lists 1,000,000 of them). Run <c>i</c> is <see cref="Template"/>
/// with the id <c>s</c> + i in seven digits (<c>s0000042</c>), the display name <c>Template.DisplayName-i</c>, and
/// <c>CreatedAt</c>/<c>HeartbeatAt</c> <c>i</c> seconds after the template's, so index order is creation order.
/// A project with a series serves only its series: unfiltered listings in creation order (<c>+created_at</c>, the
/// default, or <c>-created_at</c>), <c>runCount</c> and <c>run(name)</c>; any other filter or order is refused.
/// </summary>
public sealed class FakeRunSeries
{
    /// <summary>How many runs the series holds (at most 10,000,000, what seven digits number).</summary>
    public int Count { get; set; }

    /// <summary>What every run of the series looks like, apart from its id, name and times.</summary>
    public FakeRun Template { get; set; } = new();

    /// <summary>Run <paramref name="index"/>, made now.</summary>
    public FakeRun At(int index) => new()
    {
        Id = "s" + index.ToString("D7", CultureInfo.InvariantCulture),
        DisplayName = (Template.DisplayName ?? "run") + "-" + index.ToString(CultureInfo.InvariantCulture),
        State = Template.State,
        CreatedAt = Template.CreatedAt.AddSeconds(index),
        HeartbeatAt = Template.HeartbeatAt.AddSeconds(index),
        Group = Template.Group,
        JobType = Template.JobType,
        Tags = Template.Tags,
        Notes = Template.Notes,
        Host = Template.Host,
        Username = Template.Username,
        UserFullName = Template.UserFullName,
        ComputeSeconds = Template.ComputeSeconds,
        HistoryLineCount = Template.HistoryLineCount,
        ConfigJson = Template.ConfigJson,
        SummaryJson = Template.SummaryJson,
    };

    /// <summary>The index of the run named <paramref name="id"/>, or null when it is not one of the series.</summary>
    public int? IndexOf(string id) =>
        id.Length == 8 && id[0] == 's' && int.TryParse(id.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out int index) && index < Count ? index : null;

    /// <summary>The series as a list whose items are made when read: oldest first, or newest first.</summary>
    internal IReadOnlyList<FakeRun> AsList(bool newestFirst) => new Runs(this, newestFirst);

    private sealed class Runs : IReadOnlyList<FakeRun>
    {
        private readonly FakeRunSeries _series;
        private readonly bool _newestFirst;

        public Runs(FakeRunSeries series, bool newestFirst)
        {
            _series = series;
            _newestFirst = newestFirst;
        }

        public int Count => _series.Count;

        public FakeRun this[int index] => (uint)index < (uint)Count
            ? _series.At(_newestFirst ? Count - 1 - index : index)
            : throw new ArgumentOutOfRangeException(nameof(index));

        public IEnumerator<FakeRun> GetEnumerator()
        {
            for (int i = 0; i < Count; i++)
            {
                yield return this[i];
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
