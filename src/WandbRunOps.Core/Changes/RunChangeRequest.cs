using System;
using System.Collections.Generic;
using System.Linq;
using WandbRunOps.Errors;
using WandbRunOps.Values;

namespace WandbRunOps.Changes
{
    /// <summary>
    /// What Set-WandbRun was asked to change, before any run is read: each part is null when not given. Tag additions
    /// and removals are applied later to a fresh read of each run, because W&amp;B replaces the whole tag list.
    /// </summary>
    public sealed class RunChangeRequest
    {
        /// <summary>W&amp;B's limit on one tag (its clients refuse longer ones).</summary>
        public const int MaxTagLength = 64;

        /// <summary>-Tag: the new list, replacing the run's.</summary>
        public IReadOnlyList<string>? Tags { get; set; }

        public IReadOnlyList<string>? AddTags { get; set; }

        public IReadOnlyList<string>? RemoveTags { get; set; }

        /// <summary>-Notes; an empty string clears them.</summary>
        public string? Notes { get; set; }

        /// <summary>-Name: the display name.</summary>
        public string? DisplayName { get; set; }

        public string? Group { get; set; }

        public string? JobType { get; set; }

        /// <summary>-Config: merged key by key into the run's config; a null value removes the key.</summary>
        public WandbMap? Config { get; set; }

        public bool IsEmpty =>
            Tags is null && AddTags is null && RemoveTags is null && Notes is null && DisplayName is null && Group is null && JobType is null && Config is null;

        /// <summary>
        /// Refuses what no run could take, before anything is read or sent: -Tag beside -AddTag/-RemoveTag, an empty
        /// or over-long tag, a tag both added and removed, an empty config key, or nothing to change.
        /// </summary>
        public void Validate()
        {
            if (IsEmpty)
            {
                throw Invalid("Nothing to change: give -Tag, -AddTag, -RemoveTag, -Notes, -Name, -Group, -JobType or -Config.", null);
            }

            if (Tags is not null && (AddTags is not null || RemoveTags is not null))
            {
                throw Invalid("-Tag replaces the whole tag list, so it cannot be combined with -AddTag or -RemoveTag; use either -Tag or -AddTag/-RemoveTag.", null);
            }

            foreach (string tag in (Tags ?? Array.Empty<string>()).Concat(AddTags ?? Array.Empty<string>()).Concat(RemoveTags ?? Array.Empty<string>()))
            {
                if (string.IsNullOrWhiteSpace(tag))
                {
                    throw Invalid("A tag cannot be empty or blank.", tag);
                }

                if (tag.Length > MaxTagLength)
                {
                    throw Invalid("The tag '" + tag + "' has " + tag.Length + " characters; W&B accepts tags of 1 to " + MaxTagLength + " characters.", tag);
                }
            }

            string? both = (AddTags ?? Array.Empty<string>()).Intersect(RemoveTags ?? Array.Empty<string>(), StringComparer.Ordinal).FirstOrDefault();
            if (both is not null)
            {
                throw Invalid("The tag '" + both + "' is both added (-AddTag) and removed (-RemoveTag); give it to one of them.", both);
            }

            if (Config is not null && Config.Keys.Any(k => k.Length == 0))
            {
                throw Invalid("A -Config key cannot be empty.", null);
            }
        }

        private static WandbException Invalid(string message, object? target) => new WandbException(WandbErrorKind.InvalidArgument, message, target);
    }
}
