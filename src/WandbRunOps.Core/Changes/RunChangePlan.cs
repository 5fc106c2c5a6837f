using System;
using System.Collections.Generic;
using System.Linq;
using WandbRunOps.Json;
using WandbRunOps.Values;

namespace WandbRunOps.Changes
{
    /// <summary>
    /// One run's change, worked out from a request and a fresh read: the exact <c>upsertBucket</c> input that will be
    /// sent, and the text -WhatIf and -Confirm show for it. Both come from the same parts, so what is shown is what is
    /// sent. A part that would not change the run is left out of both; a plan with no parts sends nothing.
    /// </summary>
    public sealed class RunChangePlan
    {
        private readonly List<string> _parts = new List<string>();

        private RunChangePlan(RunSnapshot run)
        {
            Run = run;
            Input = new WandbMap { { "id", run.StorageId } };
        }

        public RunSnapshot Run { get; }

        /// <summary>The <c>upsertBucket</c> input: the run's storage id and every field that changes.</summary>
        public WandbMap Input { get; }

        /// <summary>True when the run already is as asked: nothing is sent.</summary>
        public bool IsEmpty => _parts.Count == 0;

        /// <summary>The change, part by part: <c>tags [a, b] -&gt; [a, b, c]; notes 'x' -&gt; 'y'</c>.</summary>
        public string Description => IsEmpty ? "no change (the run already is as asked)" : string.Join("; ", _parts);

        public static RunChangePlan For(RunSnapshot run, RunChangeRequest request)
        {
            var plan = new RunChangePlan(run);
            IReadOnlyList<string>? tags = NewTags(run.Tags, request);
            if (tags is not null && !tags.SequenceEqual(run.Tags, StringComparer.Ordinal))
            {
                plan.Add("tags", "tags " + TagText(run.Tags) + " -> " + TagText(tags), tags.Cast<object?>().ToList());
            }

            plan.AddText("notes", "notes", run.Notes, request.Notes);
            plan.AddText("displayName", "name", run.DisplayName, request.DisplayName);
            plan.AddText("groupName", "group", run.Group, request.Group);
            plan.AddText("jobType", "job type", run.JobType, request.JobType);
            if (request.Config is not null)
            {
                plan.AddConfig(run.Config, request.Config);
            }

            return plan;
        }

        /// <summary>The tag list after the request: -Tag as given; else the run's tags plus additions, minus removals, in order, once each.</summary>
        private static IReadOnlyList<string>? NewTags(IReadOnlyList<string> current, RunChangeRequest request)
        {
            if (request.Tags is not null)
            {
                return request.Tags.Distinct(StringComparer.Ordinal).ToList();
            }

            if (request.AddTags is null && request.RemoveTags is null)
            {
                return null;
            }

            var removed = new HashSet<string>(request.RemoveTags ?? Array.Empty<string>(), StringComparer.Ordinal);
            return current.Concat(request.AddTags ?? Array.Empty<string>())
                .Where(t => !removed.Contains(t))
                .Distinct(StringComparer.Ordinal)
                .ToList();
        }

        private void AddText(string field, string label, string? current, string? wanted)
        {
            if (wanted is null || string.Equals(current ?? string.Empty, wanted, StringComparison.Ordinal))
            {
                return;
            }

            Add(field, label + " " + Quoted(current) + " -> " + Quoted(wanted), wanted);
        }

        /// <summary>
        /// Merges key by key into the server's <c>{key: {value, desc}}</c> shape and sends the whole config, as W&amp;B's
        /// own clients do (the server replaces it); each key's <c>desc</c> is kept.
        /// </summary>
        private void AddConfig(WandbMap current, WandbMap changes)
        {
            WandbMap merged = current.Clone();
            var described = new List<string>();
            foreach (KeyValuePair<string, object?> change in changes)
            {
                bool had = merged.TryGetExact(change.Key, out object? entry);
                object? before = had ? (entry is WandbMap wrapped && wrapped.TryGetExact("value", out object? inner) ? inner : entry) : null;
                if (change.Value is null)
                {
                    if (had)
                    {
                        merged.Remove(change.Key);
                        described.Add(change.Key + " " + ValueText.Format(before) + " -> (removed)");
                    }

                    continue;
                }

                if (had && ExtendedJson.Serialize(before) == ExtendedJson.Serialize(change.Value))
                {
                    continue;
                }

                object? desc = entry is WandbMap old && old.TryGetExact("desc", out object? d) ? d : null;
                merged.Set(change.Key, new WandbMap { { "value", change.Value }, { "desc", desc } });
                described.Add(change.Key + " " + (had ? ValueText.Format(before) : "(new)") + " -> " + ValueText.Format(change.Value));
            }

            if (described.Count > 0)
            {
                Add("config", "config " + string.Join(", ", described), ExtendedJson.Serialize(merged));
            }
        }

        private void Add(string field, string text, object? value)
        {
            Input.Set(field, value);
            _parts.Add(text);
        }

        private static string TagText(IEnumerable<string> tags) => "[" + string.Join(", ", tags) + "]";

        private static string Quoted(string? text) => string.IsNullOrEmpty(text) ? "(none)" : "'" + text + "'";
    }
}
