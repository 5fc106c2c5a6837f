using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using WandbRunOps.Tests.Infrastructure;
using Xunit;

namespace WandbRunOps.Tests.Module
{
    /// <summary>
    /// The Windows PowerShell 5.1 resolver for bin/desktop (src/WandbRunOps/Loading/DesktopDependencyResolver.cs).
    /// .NET Framework is not available here, so the decision is tested as the pure function it is, the built folder's
    /// dlls are checked to be a complete closure for it, and the cmdlet assembly is checked to name no
    /// System.Text.Json type (so nothing loads it before the handler exists). On PowerShell 7 nothing is registered.
    /// </summary>
    public class DesktopDependencyResolverTests
    {
        private static readonly string Bin = Path.Combine(RepoPaths.ModuleFolder, "bin");
        private static readonly string Desktop = Path.Combine(Bin, "desktop");

        private static Assembly ModuleAssembly => ModuleInitTests.LoadModuleAssembly();

        private static string? Decide(string requested, string? requestingLocation, string? candidatePath, string? candidateVersion) =>
            (string?)ModuleAssembly.GetType("WandbRunOps.Commands.Loading.DesktopDependencyResolver", throwOnError: true)!
                .GetMethod("Decide", BindingFlags.NonPublic | BindingFlags.Static)!
                .Invoke(null, new object?[] { new AssemblyName(requested), requestingLocation, Bin, candidatePath, candidateVersion is null ? null : Version.Parse(candidateVersion) });

        private static string InBin(string file) => Path.Combine(Bin, file);

        private static string InDesktop(string file) => Path.Combine(Desktop, file);

        private const string JsonRequest = "System.Text.Json, Version=8.0.0.0, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51";

        [Fact]
        public void OurCoreAssemblyAskingForSystemTextJsonGetsTheDesktopCopy() =>
            Assert.Equal(InDesktop("System.Text.Json.dll"), Decide(JsonRequest, InBin("WandbRunOps.Core.dll"), InDesktop("System.Text.Json.dll"), "8.0.0.5"));

        [Fact]
        public void AClosureDllAskingForAnOlderVersionOfAnotherGetsTheNewerCopy()
        {
            // The binding redirect .NET Framework does not have for a module: Unsafe 4.0.4.1 asked, 6.0.0.0 shipped.
            string unsafeDll = InDesktop("System.Runtime.CompilerServices.Unsafe.dll");
            Assert.Equal(unsafeDll, Decide("System.Runtime.CompilerServices.Unsafe, Version=4.0.4.1, Culture=neutral, PublicKeyToken=b03f5f7f11d50a3a",
                InDesktop("System.Memory.dll"), unsafeDll, "6.0.0.0"));
        }

        [Fact]
        public void AnotherModulesRequestIsLeftAlone()
        {
            string elsewhere = Path.Combine(Path.GetTempPath(), "Modules", "Az.Accounts", "lib", "netfx", "Microsoft.Azure.PowerShell.Authentication.dll");
            Assert.Null(Decide(JsonRequest, elsewhere, InDesktop("System.Text.Json.dll"), "8.0.0.5"));
            Assert.Null(Decide(JsonRequest, Path.Combine(Bin, "other", "Some.dll"), InDesktop("System.Text.Json.dll"), "8.0.0.5"));
        }

        [Fact]
        public void ANewerVersionThanShippedIsDeclined() =>
            Assert.Null(Decide("System.Text.Json, Version=9.0.0.0, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51",
                InBin("WandbRunOps.Core.dll"), InDesktop("System.Text.Json.dll"), "8.0.0.5"));

        [Fact]
        public void AnUnknownRequesterFallsBackToTheNameCheck()
        {
            // .NET Framework passes no requesting assembly for some loads; the name must then match a shipped file.
            Assert.Equal(InDesktop("System.Memory.dll"), Decide("System.Memory, Version=4.0.1.2", null, InDesktop("System.Memory.dll"), "4.0.1.2"));
            Assert.Null(Decide("System.Memory, Version=4.0.1.2", null, null, null));
        }

        [Fact]
        public void ANameWithNoShippedFileOrAMismatchedFileIsDeclined()
        {
            Assert.Null(Decide("Newtonsoft.Json, Version=13.0.0.0", InBin("WandbRunOps.Core.dll"), null, null));
            Assert.Null(Decide(JsonRequest, InBin("WandbRunOps.Core.dll"), InDesktop("System.Memory.dll"), "8.0.0.5"));
        }

        [Fact]
        public void AnEmptyRequesterLocationIsNotOurs() =>
            // Assemblies loaded from bytes report an empty Location; they are not ours.
            Assert.Null(Decide(JsonRequest, string.Empty, InDesktop("System.Text.Json.dll"), "8.0.0.5"));

        [Fact]
        public void TheResolverIndexesTheBuiltDesktopFolderAndDeclinesWhatIsNotThere()
        {
            Type resolverType = ModuleAssembly.GetType("WandbRunOps.Commands.Loading.DesktopDependencyResolver", throwOnError: true)!;
            object resolver = Activator.CreateInstance(resolverType, BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic, null, new object[] { Bin }, null)!;
            var names = ((IEnumerable<string>)resolverType.GetProperty("Names")!.GetValue(resolver)!).OrderBy(n => n, StringComparer.Ordinal).ToList();
            Assert.Equal(DesktopFiles().Select(Path.GetFileNameWithoutExtension).OrderBy(n => n, StringComparer.Ordinal), names);
            Assert.Contains("System.Text.Json", names);

            MethodInfo resolve = resolverType.GetMethod("Resolve")!;
            var notOurs = new ResolveEventArgs("Newtonsoft.Json, Version=13.0.0.0", typeof(object).Assembly);
            Assert.Null(resolve.Invoke(resolver, new object?[] { null, notOurs }));
            var otherRequester = new ResolveEventArgs(JsonRequest, typeof(object).Assembly);
            Assert.Null(resolve.Invoke(resolver, new object?[] { null, otherRequester }));
        }

        [Fact]
        public void OnPowerShell7NoResolverIsRegistered()
        {
            Type init = ModuleAssembly.GetType("WandbRunOps.Commands.ModuleInit", throwOnError: true)!;
            object instance = Activator.CreateInstance(init)!;
            init.GetMethod("OnImport")!.Invoke(instance, null);
            Assert.Null(init.GetProperty("Registered", BindingFlags.NonPublic | BindingFlags.Static)!.GetValue(null));
        }

        private static string[] DesktopFiles()
        {
            Assert.True(Directory.Exists(Desktop), "The module is not built: " + Desktop + " is missing. Run `dotnet build -c Release`.");
            return Directory.GetFiles(Desktop, "*.dll");
        }

        [Fact]
        public void EveryReferenceFromOurDllsIntoTheDesktopSetIsSatisfiedByTheDecision()
        {
            // What 5.1 will ask for at run time: every assembly reference from bin/*.dll and bin/desktop/*.dll whose name
            // is a desktop file must be answered (by version) for that requester. A missing or too-old file fails here.
            var shipped = DesktopFiles().ToDictionary(f => Path.GetFileNameWithoutExtension(f), f => AssemblyName.GetAssemblyName(f).Version!, StringComparer.OrdinalIgnoreCase);
            int checkedReferences = 0;
            foreach (string requester in Directory.GetFiles(Bin, "*.dll").Concat(DesktopFiles()))
            {
                foreach (AssemblyName reference in References(requester))
                {
                    if (!shipped.TryGetValue(reference.Name!, out Version? version))
                    {
                        continue;
                    }

                    string candidate = InDesktop(reference.Name + ".dll");
                    Assert.True(Decide(reference.FullName, requester, candidate, version.ToString()) == candidate,
                        Path.GetFileName(requester) + " asks for " + reference.FullName + "; bin/desktop has " + version);
                    checkedReferences++;
                }
            }

            // Core references System.Text.Json; System.Text.Json references System.Memory and others.
            Assert.True(checkedReferences >= 5, "only " + checkedReferences + " references were checked");
            Assert.Contains("System.Text.Json", References(InBin("WandbRunOps.Core.dll")).Select(r => r.Name));
        }

        private static IEnumerable<AssemblyName> References(string path)
        {
            using var stream = File.OpenRead(path);
            using var pe = new PEReader(stream);
            MetadataReader metadata = pe.GetMetadataReader();
            return metadata.AssemblyReferences.Select(h => metadata.GetAssemblyReference(h).GetAssemblyName()).ToList();
        }

        [Fact]
        public void TheCmdletAssemblyNamesNoSystemTextJsonTypeInAnySignature()
        {
            // Anything in WandbRunOps.dll that names a System.Text.Json type would load it while PowerShell reflects over
            // the cmdlets, before OnImport registers the resolver on 5.1.
            const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
            var offenders = new List<string>();
            foreach (Type type in ModuleAssembly.GetTypes())
            {
                var used = new List<(string Where, Type Type)>();
                if (type.BaseType is not null)
                {
                    used.Add(("base", type.BaseType));
                }

                used.AddRange(type.GetInterfaces().Select(i => ("interface", i)));
                used.AddRange(type.GetFields(all).Select(f => (f.Name, f.FieldType)));
                used.AddRange(type.GetProperties(all).Select(p => (p.Name, p.PropertyType)));
                foreach (MethodBase method in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
                {
                    if (method is MethodInfo info)
                    {
                        used.Add((method.Name, info.ReturnType));
                    }

                    used.AddRange(method.GetParameters().Select(p => (method.Name + "(" + p.Name + ")", p.ParameterType)));
                }

                offenders.AddRange(used.Where(u => NamesJson(u.Type)).Select(u => type.FullName + "." + u.Where + ": " + u.Type));
            }

            Assert.Empty(offenders);
            Assert.DoesNotContain("System.Text.Json", References(InBin("WandbRunOps.dll")).Select(r => r.Name));
        }

        private static bool NamesJson(Type type)
        {
            if (type.HasElementType)
            {
                return NamesJson(type.GetElementType()!);
            }

            return (type.Namespace ?? string.Empty).StartsWith("System.Text.Json", StringComparison.Ordinal)
                || (type.IsGenericType && type.GetGenericArguments().Any(NamesJson));
        }
    }
}
