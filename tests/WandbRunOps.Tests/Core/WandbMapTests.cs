using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using WandbRunOps.Values;
using Xunit;

namespace WandbRunOps.Tests.Core
{
    /// <summary>
    /// <see cref="WandbMap"/> keeps its values by position and finds keys by a scan while small, else by an index it
    /// builds on the first look-up that needs it (issue 18 goal 1). Random operations against a plain reference (an
    /// ordered list of pairs searched one by one) check that every operation answers as before at every size.
    /// </summary>
    public class WandbMapTests
    {
        [Fact]
        public void RandomOperationsAnswerAsAPlainOrderedList()
        {
            var random = new Random(18);
            string[] keys = Enumerable.Range(0, 40).Select(i => "k" + i).Concat(new[] { "K1", "K2", "lr", "LR", "Lr" }).ToArray();
            for (int trial = 0; trial < 300; trial++)
            {
                var map = new WandbMap(random.Next(3) == 0 ? 0 : random.Next(60));
                var plain = new List<KeyValuePair<string, object?>>();
                int operations = random.Next(1, 200);
                for (int n = 0; n < operations; n++)
                {
                    string key = keys[random.Next(random.Next(2) == 0 ? 8 : keys.Length)];
                    int at = plain.FindIndex(p => p.Key == key);
                    switch (random.Next(8))
                    {
                        case 0:
                        case 1:
                        case 2:
                            map.Set(key, n);
                            if (at >= 0)
                            {
                                plain[at] = new KeyValuePair<string, object?>(key, n);
                            }
                            else
                            {
                                plain.Add(new KeyValuePair<string, object?>(key, n));
                            }

                            break;
                        case 3:
                            if (at >= 0)
                            {
                                Assert.Throws<ArgumentException>(() => map.Add(key, n));
                            }
                            else
                            {
                                map.Add(key, n);
                                plain.Add(new KeyValuePair<string, object?>(key, n));
                            }

                            break;
                        case 4:
                            Assert.Equal(at >= 0, map.Remove(key));
                            if (at >= 0)
                            {
                                plain.RemoveAt(at);
                            }

                            break;
                        case 5:
                            int folded = plain.FindIndex(p => string.Equals(p.Key, key, StringComparison.OrdinalIgnoreCase));
                            int found = at >= 0 ? at : folded;
                            Assert.Equal(found >= 0 ? plain[found].Key : null, map.ResolveKey(key));
                            Assert.Equal(found >= 0, map.TryGetValue(key, out object? value));
                            Assert.Equal(found >= 0 ? plain[found].Value : null, value);
                            Assert.Equal(found >= 0 ? plain[found].Value : null, map[key]);
                            break;
                        case 6:
                            Assert.Equal(at >= 0, map.TryGetExact(key, out object? exact));
                            Assert.Equal(at >= 0 ? plain[at].Value : null, exact);
                            break;
                        default:
                            if (random.Next(20) == 0)
                            {
                                map = map.Clone();
                            }

                            break;
                    }

                    Assert.Equal(plain.Count, map.Count);
                }

                Assert.Equal(plain.Select(p => p.Key), map.Keys);
                Assert.Equal(plain.Select(p => p.Value), map.Values);
                Assert.Equal(plain, map.ToList());
            }
        }

        [Fact]
        public void ThreadsReadingOneMapFindEveryKeyWhileItBuildsItsIndex()
        {
            // The index is built by the first look-up that needs it; readers on other threads must never see a half-built one.
            string[] keys = Enumerable.Range(0, 64).Select(i => "key" + i).ToArray();
            for (int trial = 0; trial < 2000; trial++)
            {
                var map = new WandbMap();
                foreach (string key in keys)
                {
                    map.Set(key, key);
                }

                using var start = new Barrier(2);
                int missed = 0;
                void Read()
                {
                    start.SignalAndWait();
                    for (int i = keys.Length - 1; i >= 0; i--)
                    {
                        if (!map.TryGetExact(keys[i], out object? value) || !ReferenceEquals(value, keys[i]))
                        {
                            Interlocked.Increment(ref missed);
                        }
                    }
                }

                var threads = new[] { new Thread(Read), new Thread(Read) };
                Array.ForEach(threads, t => t.Start());
                Array.ForEach(threads, t => t.Join());
                Assert.True(missed == 0, "trial " + trial + ": " + missed + " look-ups missed");
            }
        }

        [Fact]
        public void ChangingTheKeysWhileEnumeratingThrowsAndSettingAValueDoesNot()
        {
            var map = new WandbMap();
            for (int i = 0; i < 20; i++)
            {
                map.Set("k" + i, i);
            }

            foreach (KeyValuePair<string, object?> pair in map)
            {
                map.Set(pair.Key, 1);
            }

            Assert.All(map.Values, v => Assert.Equal(1, v));
            Assert.Throws<InvalidOperationException>(() =>
            {
                foreach (KeyValuePair<string, object?> pair in map)
                {
                    map.Set(pair.Key + "x", 1);
                }
            });
            Assert.Throws<ArgumentNullException>(() => map.Set(null!, 1));
            Assert.Throws<ArgumentNullException>(() => map.TryGetExact(null!, out _));
            Assert.False(map.TryGetValue(null!, out _));
        }

        [Fact]
        public void MapsOnSharedKeysAnswerAsPlainOrderedListsWhateverTheOtherMapsDo()
        {
            // History rows start on one shared key array (SharedKeyRow): rows that repeat, drop, reorder or add keys, and
            // changes to earlier rows after later ones were made, must leave every map as a plain list would be.
            var random = new Random(1802);
            string[] layout = Enumerable.Range(0, 30).Select(i => "metric_" + i).ToArray();
            for (int trial = 0; trial < 40; trial++)
            {
                var shared = new SharedKeyRow();
                var maps = new List<(WandbMap Map, List<KeyValuePair<string, object?>> Plain)>();
                for (int row = 0; row < 60; row++)
                {
                    var map = new WandbMap(shared);
                    var plain = new List<KeyValuePair<string, object?>>();
                    IEnumerable<string> keys = layout.Take(random.Next(3) == 0 ? random.Next(layout.Length + 1) : layout.Length);
                    switch (random.Next(6))
                    {
                        case 0: keys = keys.Where(_ => random.Next(10) > 0); break;
                        case 1: keys = keys.OrderBy(_ => random.Next()); break;
                        case 2: keys = keys.Concat(new[] { "extra_" + random.Next(5), new string('k', 1) + random.Next(3) }); break;
                        case 3: keys = keys.Select(k => random.Next(15) == 0 ? k.ToUpperInvariant() : k); break;
                    }

                    foreach (string key in keys.ToList())
                    {
                        // Sometimes a key equal to the shared one but another string instance.
                        string spelled = random.Next(4) == 0 ? new string(key.ToCharArray()) : key;
                        int at = plain.FindIndex(p => p.Key == spelled);
                        if (at >= 0)
                        {
                            map.Set(spelled, row);
                            plain[at] = new KeyValuePair<string, object?>(spelled, row);
                        }
                        else
                        {
                            map.AddNew(spelled, row);
                            plain.Add(new KeyValuePair<string, object?>(spelled, row));
                        }
                    }

                    maps.Add((map, plain));

                    // Now and then an earlier map is changed.
                    if (random.Next(4) == 0)
                    {
                        (WandbMap earlier, List<KeyValuePair<string, object?>> earlierPlain) = maps[random.Next(maps.Count)];
                        string key = random.Next(3) == 0 ? "new_" + random.Next(4) : layout[random.Next(layout.Length)];
                        int at = earlierPlain.FindIndex(p => p.Key == key);
                        switch (random.Next(4))
                        {
                            case 0:
                                earlier.Set(key, -1);
                                if (at >= 0)
                                {
                                    earlierPlain[at] = new KeyValuePair<string, object?>(key, -1);
                                }
                                else
                                {
                                    earlierPlain.Add(new KeyValuePair<string, object?>(key, -1));
                                }

                                break;
                            case 1:
                                Assert.Equal(at >= 0, earlier.Remove(key));
                                if (at >= 0)
                                {
                                    earlierPlain.RemoveAt(at);
                                }

                                break;
                            case 2:
                                if (random.Next(10) == 0)
                                {
                                    earlier.Clear();
                                    earlierPlain.Clear();
                                }

                                break;
                            default:
                                Assert.Equal(at >= 0, earlier.TryGetExact(key, out object? value));
                                Assert.Equal(at >= 0 ? earlierPlain[at].Value : null, value);
                                break;
                        }
                    }
                }

                foreach ((WandbMap map, List<KeyValuePair<string, object?>> plain) in maps)
                {
                    Assert.Equal(plain.Select(p => p.Key), map.Keys);
                    Assert.Equal(plain.Select(p => p.Value), map.Values);
                    Assert.Equal(plain, map.ToList());
                    Assert.Equal(plain, map.Clone().ToList());
                    foreach (KeyValuePair<string, object?> pair in plain)
                    {
                        Assert.True(map.TryGetExact(pair.Key, out object? value));
                        Assert.Equal(pair.Value, value);
                    }
                }
            }
        }

        [Fact]
        public void ThreadsMakingMapsOnOneSharedKeyRowEachGetTheirOwnKeys()
        {
            // Rows decoded on several threads may share one key row: slots are claimed once, and a map whose keys differ
            // moves to its own array, so no thread's keys leak into another's map.
            var shared = new SharedKeyRow();
            string[][] layouts =
            {
                Enumerable.Range(0, 40).Select(i => "a" + i).ToArray(),
                Enumerable.Range(0, 40).Select(i => i % 3 == 0 ? "b" + i : "a" + i).ToArray(),
                Enumerable.Range(0, 60).Select(i => "a" + i).ToArray(),
                Enumerable.Range(0, 5).Select(i => "c" + i).ToArray(),
            };
            using var start = new Barrier(layouts.Length);
            int wrong = 0;
            var threads = layouts.Select(layout => new Thread(() =>
            {
                start.SignalAndWait();
                for (int row = 0; row < 3000; row++)
                {
                    var map = new WandbMap(shared);
                    foreach (string key in layout)
                    {
                        map.AddNew(key, row);
                    }

                    if (!map.Keys.SequenceEqual(layout) || map.Values.Any(v => !Equals(v, row)))
                    {
                        Interlocked.Increment(ref wrong);
                    }
                }
            })).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());
            Assert.Equal(0, wrong);
        }
    }
}
