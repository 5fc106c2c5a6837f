using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Linq.Expressions;
using System.Reflection;
using WandbRunOps.Tests.Infrastructure;
using Xunit;

namespace WandbRunOps.Tests.Completion
{
    /// <summary>
    /// The completion cache's lifetimes, with a fake clock. The cache is internal to the module assembly, which the
    /// tests load only through Import-Module, so it is reached by reflection on that loaded assembly.
    /// </summary>
    public class CompletionCacheTests
    {
        private readonly Type _cacheType;
        private readonly Type _candidateType;
        private DateTime _now = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        private int _loads;

        public CompletionCacheTests()
        {
            using (new ModuleRunspace())
            {
                Assembly module = AppDomain.CurrentDomain.GetAssemblies().Single(a => a.GetName().Name == "WandbRunOps" && a.Location.Replace('\\', '/').Contains("/out/WandbRunOps/"));
                _cacheType = module.GetType("WandbRunOps.Commands.Completion.CompletionCache", throwOnError: true)!;
                _candidateType = module.GetType("WandbRunOps.Commands.Completion.CompletionCandidate", throwOnError: true)!;
            }
        }

        [Fact]
        public void EntriesLiveForTheTtlThenAreLoadedAgain()
        {
            object cache = NewCache();
            Assert.Equal(new[] { "a" }, GetOrLoad(cache, "k", () => new[] { "a" }));
            _now += TimeSpan.FromSeconds(29);
            Assert.Equal(new[] { "a" }, GetOrLoad(cache, "k", () => new[] { "b" }));
            Assert.Equal(1, _loads);

            _now += TimeSpan.FromSeconds(2);
            Assert.Equal(new[] { "b" }, GetOrLoad(cache, "k", () => new[] { "b" }));
            Assert.Equal(2, _loads);

            // Another key is another entry.
            Assert.Equal(new[] { "c" }, GetOrLoad(cache, "other", () => new[] { "c" }));
            Assert.Equal(3, _loads);
        }

        [Fact]
        public void AFailedLoadIsRememberedEmptyForTheShortFailureTtl()
        {
            object cache = NewCache();
            var thrown = Assert.Throws<TargetInvocationException>(() => GetOrLoad(cache, "k", () => throw new TimeoutException("slow server")));
            Assert.IsType<TimeoutException>(thrown.InnerException);

            _now += TimeSpan.FromSeconds(4);
            Assert.Empty(GetOrLoad(cache, "k", () => new[] { "a" }));
            Assert.Equal(1, _loads);

            _now += TimeSpan.FromSeconds(2);
            Assert.Equal(new[] { "a" }, GetOrLoad(cache, "k", () => new[] { "a" }));
            Assert.Equal(2, _loads);
        }

        [Fact]
        public void TheSharedCacheKeepsEntriesThirtySecondsAndFailuresFive()
        {
            object shared = _cacheType.GetField("Shared", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
            Assert.Equal(TimeSpan.FromSeconds(30), _cacheType.GetProperty("Ttl")!.GetValue(shared));
            Assert.Equal(TimeSpan.FromSeconds(5), _cacheType.GetProperty("FailureTtl")!.GetValue(shared));
        }

        private object NewCache()
        {
            Func<DateTime> clock = () => _now;
            return Activator.CreateInstance(_cacheType, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(5), clock)!;
        }

        /// <summary>Calls GetOrLoad(key, load) with a loader that counts its calls, and returns the values it gave.</summary>
        private List<string> GetOrLoad(object cache, string key, Func<string[]> values)
        {
            Type listType = typeof(IReadOnlyList<>).MakeGenericType(_candidateType);
            Func<object> body = () =>
            {
                _loads++;
                string[] texts = values();
                Array candidates = Array.CreateInstance(_candidateType, texts.Length);
                for (int i = 0; i < texts.Length; i++)
                {
                    candidates.SetValue(Activator.CreateInstance(_candidateType, texts[i], null), i);
                }

                return candidates;
            };
            Delegate load = Expression.Lambda(typeof(Func<>).MakeGenericType(listType), Expression.Convert(Expression.Invoke(Expression.Constant(body)), listType)).Compile();
            var items = (IEnumerable)_cacheType.GetMethod("GetOrLoad")!.Invoke(cache, new object[] { key, load })!;
            return items.Cast<object>().Select(c => (string)_candidateType.GetProperty("Value")!.GetValue(c)!).ToList();
        }
    }
}
