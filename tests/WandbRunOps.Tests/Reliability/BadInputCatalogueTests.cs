using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using WandbRunOps.Errors;
using WandbRunOps.FakeWandb;
using WandbRunOps.Testing;
using WandbRunOps.Tests.Infrastructure;
using WandbRunOps.Tests.Support;
using Xunit;

namespace WandbRunOps.Tests.Reliability
{
    /// <summary>
    /// Every cmdlet parameter given wrong values: each row is a command line and the error a script would see, its
    /// FullyQualifiedErrorId prefix, category and target, and whether it ends the statement. Where the bad item is one
    /// of a list, the command carries on: it outputs what the same command gives without the bad item.
    /// </summary>
    [Collection(ProcessEnvironmentCollection.Name)]
    public sealed class BadInputCatalogueTests : IClassFixture<BadInputCatalogueTests.Setting>
    {
        private const string Api = "-Project acme-ml/mnist-sweep -BaseUrl $url -ApiKey $key";
        private const string Server = "-BaseUrl $url -ApiKey $key";
        private const string Validation = "ParameterArgumentValidationError,";
        private const string Conversion = "CannotConvertArgumentNoMessage,";

        /// <summary>A hand-made run with no config and no summary, then a real one.</summary>
        private const string Broken = "$broken = [WandbRunOps.Model.WandbRun]::new(); $broken.Id = 'broken01'; $broken.Config = $null; $broken.Summary = $null; $broken, (Get-WandbRun -Id fin0001a)";

        private const bool Ends = true;
        private const bool CarriesOn = false;

        /// <summary>
        /// The catalogue. Placeholders: {wandb} the sample runs, {scratch} a scratch folder (notes.txt, empty/,
        /// damaged/wandb), {url} the loopback server. A null target means PowerShell's binder reports none.
        /// </summary>
        public static readonly IReadOnlyList<BadInput> Catalogue = new[]
        {
            // Paths
            new BadInput("Get-WandbRun -Path ''", "WandbInvalidArgument,", ErrorCategory.InvalidArgument, "Path", Ends),
            new BadInput("Get-WandbRun -Path $null", "WandbInvalidArgument,", ErrorCategory.InvalidArgument, "Path", Ends),
            new BadInput("Get-WandbRun -Path ' '", "WandbPathNotFound,", ErrorCategory.ObjectNotFound, " ", CarriesOn),
            new BadInput("Get-WandbRun -Path nope", "WandbPathNotFound,", ErrorCategory.ObjectNotFound, "nope", CarriesOn),
            new BadInput("Get-WandbRun -Path nope, '{wandb}'", "WandbPathNotFound,", ErrorCategory.ObjectNotFound, "nope", CarriesOn, Without: "Get-WandbRun -Path '{wandb}'"),
            new BadInput("Get-WandbRun -Path '{scratch}/notes.txt'", "WandbPathNotFound,", ErrorCategory.ObjectNotFound, "{scratch}/notes.txt", CarriesOn),
            new BadInput("Get-WandbRun -Path '{scratch}/empty'", "WandbPathNotFound,", ErrorCategory.ObjectNotFound, "{scratch}/empty", CarriesOn),
            new BadInput("Get-WandbRun -Path '{scratch}/damaged/wandb'", "WandbLogDamaged,", ErrorCategory.ReadError, "{scratch}/damaged/wandb/run-20260101_000000-dmg00001", CarriesOn, Outputs: 1),
            new BadInput("Get-WandbRun -LiteralPath nope", "WandbPathNotFound,", ErrorCategory.ObjectNotFound, "nope", CarriesOn),
            new BadInput("Get-WandbRun -LiteralPath ''", Validation, ErrorCategory.InvalidData, null, Ends),
            new BadInput("Get-RunConfig -Path ''", "WandbInvalidArgument,", ErrorCategory.InvalidArgument, "Path", Ends),
            new BadInput("Get-RunConfig -Path nope", "WandbPathNotFound,", ErrorCategory.ObjectNotFound, "nope", CarriesOn),
            new BadInput("Measure-RunRuntime -Path $null", "WandbInvalidArgument,", ErrorCategory.InvalidArgument, "Path", Ends),
            new BadInput("Compare-RunConfig -ReferenceRun fin0001a -DifferenceRun fin0002b -Path ''", Validation, ErrorCategory.InvalidData, null, Ends),

            // No source at all: a folder without wandb/, no connection, no WANDB_PROJECT
            new BadInput("$null = $ExecutionContext.SessionState.Path.SetLocation('{scratch}/empty'); Get-WandbRun", "WandbNoSource,", ErrorCategory.ObjectNotFound, "{scratch}/empty", Ends),

            // Projects and entities
            new BadInput("Get-WandbRun -Project ''", "WandbInvalidArgument,", ErrorCategory.InvalidArgument, "Project", Ends),
            new BadInput("Get-WandbRun -Project ' ' " + Server, "WandbInvalidArgument,", ErrorCategory.InvalidArgument, " ", Ends),
            new BadInput("Get-WandbRun -Project a/b/c " + Server, "WandbInvalidArgument,", ErrorCategory.InvalidArgument, "a/b/c", Ends),
            new BadInput("Get-WandbRun -Project acme-ml/ " + Server, "WandbInvalidArgument,", ErrorCategory.InvalidArgument, "acme-ml/", Ends),
            new BadInput("Get-WandbRun -Project acme-ml/nope " + Server, "WandbProjectNotFound,", ErrorCategory.ObjectNotFound, "acme-ml/nope", CarriesOn),
            new BadInput("Get-WandbRun -Project nobody/mnist-sweep " + Server, "WandbProjectNotFound,", ErrorCategory.ObjectNotFound, "nobody/mnist-sweep", CarriesOn),
            new BadInput("Get-WandbRun -Project acme-ml/mnist-sweep -Entity other " + Server, "WandbInvalidArgument,", ErrorCategory.InvalidArgument, "acme-ml/mnist-sweep", Ends),
            new BadInput("Get-WandbRun -Entity '' -Project mnist-sweep " + Server, "WandbInvalidArgument,", ErrorCategory.InvalidArgument, "Entity", Ends),
            new BadInput("Get-WandbRun -Entity ' ' -Project mnist-sweep " + Server, "WandbInvalidArgument,", ErrorCategory.InvalidArgument, " ", Ends),
            new BadInput("Get-RunConfig -Project ''", "WandbInvalidArgument,", ErrorCategory.InvalidArgument, "Project", Ends),
            new BadInput("Get-RunSummary -Entity ''", "WandbInvalidArgument,", ErrorCategory.InvalidArgument, "Entity", Ends),
            new BadInput("Get-RunSummary -Project acme-ml/nope " + Server + " -Id fin0001a", "WandbProjectNotFound,", ErrorCategory.ObjectNotFound, "acme-ml/nope", CarriesOn),
            new BadInput("Connect-Wandb -Project '' " + Server, Validation, ErrorCategory.InvalidData, null, Ends),
            new BadInput("Connect-Wandb -Project a/b/c " + Server, "WandbInvalidArgument,", ErrorCategory.InvalidArgument, "a/b/c", Ends),
            new BadInput("Connect-Wandb -Entity ' ' " + Server, "WandbInvalidArgument,", ErrorCategory.InvalidArgument, " ", Ends),

            // Run ids and names
            new BadInput("Get-WandbRun -Id ''", "WandbInvalidArgument,", ErrorCategory.InvalidArgument, "Id", Ends),
            new BadInput("Get-WandbRun -Id nope0000", "WandbRunNotFound,", ErrorCategory.ObjectNotFound, "nope0000", CarriesOn),
            new BadInput("Get-WandbRun -Id nope0000, fin0001a", "WandbRunNotFound,", ErrorCategory.ObjectNotFound, "nope0000", CarriesOn, Without: "Get-WandbRun -Id fin0001a"),
            new BadInput("Get-WandbRun " + Api + " -Id nope0000, fin0001a", "WandbRunNotFound,", ErrorCategory.ObjectNotFound, "acme-ml/mnist-sweep/nope0000", CarriesOn, Without: "Get-WandbRun " + Api + " -Id fin0001a"),
            new BadInput("Get-WandbRun -Name nope", "WandbRunNotFound,", ErrorCategory.ObjectNotFound, "nope", CarriesOn),
            new BadInput("Get-RunConfig -Id ''", "WandbInvalidArgument,", ErrorCategory.InvalidArgument, "Id", Ends),
            new BadInput("Get-RunConfig -Id nope0000, fin0001a", "WandbRunNotFound,", ErrorCategory.ObjectNotFound, "nope0000", CarriesOn, Without: "Get-RunConfig -Id fin0001a"),
            new BadInput("Get-RunConfig -Run $null", Validation, ErrorCategory.InvalidData, null, Ends),
            new BadInput("[version]'1.2' | Get-RunConfig", "InputObjectNotBound,", ErrorCategory.InvalidArgument, "1.2", CarriesOn),
            new BadInput("Get-RunHistory -Id nope0000", "WandbRunNotFound,", ErrorCategory.ObjectNotFound, "nope0000", CarriesOn),
            new BadInput("Get-RunHistory " + Api + " -Id nope0000, fin0001a", "WandbRunNotFound,", ErrorCategory.ObjectNotFound, "acme-ml/mnist-sweep/nope0000", CarriesOn, Without: "Get-RunHistory " + Api + " -Id fin0001a"),
            new BadInput("Get-RunSystemMetric -Id nope0000, fin0001a", "WandbRunNotFound,", ErrorCategory.ObjectNotFound, "nope0000", CarriesOn, Without: "Get-RunSystemMetric -Id fin0001a"),
            new BadInput("Get-RunSystemMetric " + Api + " -Id nope0000, fin0001a", "WandbRunNotFound,", ErrorCategory.ObjectNotFound, "acme-ml/mnist-sweep/nope0000", CarriesOn, Without: "Get-RunSystemMetric " + Api + " -Id fin0001a"),
            new BadInput("Get-RunSystemMetric -Id fin0001a -Samples 0", Validation, ErrorCategory.InvalidData, null, Ends),
            new BadInput("Get-RunSystemMetric -Id fin0001a -Key ''", Validation, ErrorCategory.InvalidData, null, Ends),
            new BadInput("Get-RunSystemMetric -Id fin0001a -Key '[]'", "WandbInvalidArgument,", ErrorCategory.InvalidArgument, "[]", Ends),
            new BadInput("Get-RunMetadata -Id nope0000, fin0001a", "WandbRunNotFound,", ErrorCategory.ObjectNotFound, "nope0000", CarriesOn, Without: "Get-RunMetadata -Id fin0001a"),
            new BadInput("Get-RunMetadata " + Api + " -Id nope0000, fin0001a", "WandbRunNotFound,", ErrorCategory.ObjectNotFound, "acme-ml/mnist-sweep/nope0000", CarriesOn, Without: "Get-RunMetadata " + Api + " -Id fin0001a"),
            new BadInput("Get-RunLog -Id nope0000, crsh005e", "WandbRunNotFound,", ErrorCategory.ObjectNotFound, "nope0000", CarriesOn, Without: "Get-RunLog -Id crsh005e"),
            new BadInput("Get-RunLog " + Api + " -Id nope0000, crsh005e", "WandbRunNotFound,", ErrorCategory.ObjectNotFound, "acme-ml/mnist-sweep/nope0000", CarriesOn, Without: "Get-RunLog " + Api + " -Id crsh005e"),
            new BadInput("Get-RunLog -Id crsh005e -Tail 0", Validation, ErrorCategory.InvalidData, null, Ends),
            new BadInput("Measure-RunRuntime -Id nope0000, fin0001a", "WandbRunNotFound,", ErrorCategory.ObjectNotFound, "nope0000", CarriesOn, Without: "Measure-RunRuntime -Id fin0001a"),
            new BadInput("Compare-RunConfig -ReferenceRun '' -DifferenceRun fin0002b", Conversion, ErrorCategory.InvalidArgument, null, Ends),
            new BadInput("Compare-RunConfig -ReferenceRun nope0000 -DifferenceRun fin0002b", "WandbRunNotFound,", ErrorCategory.ObjectNotFound, "nope0000", Ends),
            new BadInput("Compare-RunConfig -ReferenceRun fin0001a -DifferenceRun nope0000, fin0002b -IncludeEqual", "WandbRunNotFound,", ErrorCategory.ObjectNotFound, "nope0000", CarriesOn, Without: "Compare-RunConfig -ReferenceRun fin0001a -DifferenceRun fin0002b -IncludeEqual"),
            new BadInput("Compare-RunConfig -ReferenceRun fin0001a -DifferenceRun $null", Validation, ErrorCategory.InvalidData, null, Ends),

            // Filters, order, states, dates
            new BadInput("Get-WandbRun -Filter ''", "WandbInvalidFilter,", ErrorCategory.InvalidArgument, "", Ends),
            new BadInput("Get-WandbRun -Filter '{'", "WandbInvalidFilter,", ErrorCategory.InvalidArgument, "{", Ends),
            new BadInput("Get-WandbRun -Filter @{ bogus = 1 }", "WandbInvalidFilter,", ErrorCategory.InvalidArgument, "{\"bogus\":1}", Ends),
            new BadInput("Get-WandbRun -Filter @{ 'config.lr' = @{ '$zz' = 1 } }", "WandbInvalidFilter,", ErrorCategory.InvalidArgument, "{\"config.lr\":{\"$zz\":1}}", Ends),
            new BadInput("Get-WandbRun -Filter 42", "WandbInvalidFilter,", ErrorCategory.InvalidArgument, "42", Ends),
            new BadInput("Get-WandbRun " + Api + " -Filter '{\"state\": [\"finished\"]}'", "WandbInvalidFilter,", ErrorCategory.InvalidArgument, "{\"state\": [\"finished\"]}", Ends),
            new BadInput("Get-WandbRun -Filter $null", Validation, ErrorCategory.InvalidData, null, Ends),
            new BadInput("Get-WandbRun -Where $null", Validation, ErrorCategory.InvalidData, null, Ends),
            new BadInput("Get-WandbRun -OrderBy ''", Validation, ErrorCategory.InvalidData, null, Ends),
            new BadInput("Get-WandbRun -OrderBy Bogus", "WandbInvalidArgument,", ErrorCategory.InvalidArgument, "Bogus", Ends),
            new BadInput("Get-WandbRun -OrderBy '-'", "WandbInvalidArgument,", ErrorCategory.InvalidArgument, "-", Ends),
            new BadInput("Get-WandbRun " + Api + " -OrderBy 'Config.'", "WandbInvalidArgument,", ErrorCategory.InvalidArgument, "Config.", Ends),
            new BadInput("Get-WandbRun -State Bogus", Conversion, ErrorCategory.InvalidArgument, null, Ends),
            new BadInput("Get-WandbRun -Tag ''", Validation, ErrorCategory.InvalidData, null, Ends),
            new BadInput("Get-WandbRun -CreatedAfter 'not a date'", Conversion, ErrorCategory.InvalidArgument, null, Ends),

            // Counts and sizes
            new BadInput("Get-WandbRun -First -1", Conversion, ErrorCategory.InvalidArgument, null, Ends),
            new BadInput("Get-WandbRun -Skip -1", Conversion, ErrorCategory.InvalidArgument, null, Ends),
            new BadInput("Get-WandbRun " + Api + " -PageSize 0", Validation, ErrorCategory.InvalidData, null, Ends),
            new BadInput("Get-WandbRun " + Api + " -PageSize -5", Validation, ErrorCategory.InvalidData, null, Ends),
            new BadInput("Get-RunHistory -Id fin0001a -MinStep -1", Validation, ErrorCategory.InvalidData, null, Ends),
            new BadInput("Get-RunHistory -Id fin0001a -MinStep 5 -MaxStep 2", "WandbInvalidArgument,", ErrorCategory.InvalidArgument, "5", Ends),
            new BadInput("Get-RunHistory -Id fin0001a -Samples 0", Validation, ErrorCategory.InvalidData, null, Ends),
            new BadInput("Get-RunHistory -Id fin0001a -PageSize -1", Validation, ErrorCategory.InvalidData, null, Ends),

            // Keys
            new BadInput("Get-RunConfig -Key ''", Validation, ErrorCategory.InvalidData, null, Ends),
            new BadInput("Get-RunSummary -Key $null", Validation, ErrorCategory.InvalidData, null, Ends),
            new BadInput("Get-RunHistory -Id fin0001a -Key ''", Validation, ErrorCategory.InvalidData, null, Ends),

            // Artifact references
            new BadInput("Get-RunLoggedArtifact -Id fin0001a -Name 'model:'", "WandbInvalidArgument,", ErrorCategory.InvalidArgument, "model:", Ends),
            new BadInput("Get-RunLoggedArtifact -Id fin0001a -Name ':latest'", "WandbInvalidArgument,", ErrorCategory.InvalidArgument, ":latest", Ends),
            new BadInput("Get-RunLoggedArtifact -Id fin0001a -Name 'a:b:c'", "WandbInvalidArgument,", ErrorCategory.InvalidArgument, "a:b:c", Ends),
            new BadInput("Get-RunUsedArtifact -Id fin0001a -Name 'a/b/c/d'", "WandbInvalidArgument,", ErrorCategory.InvalidArgument, "a/b/c/d", Ends),
            new BadInput("Get-RunLoggedArtifact -Id fin0001a -Name ''", Validation, ErrorCategory.InvalidData, null, Ends),

            // 'v' and 'vX' are not versions (vN), so they are aliases W&B allows; no run has them.
            new BadInput("Get-RunLoggedArtifact -Id fin0001a -Name 'model:v'", "WandbArtifactNotFound,", ErrorCategory.ObjectNotFound, "model:v", CarriesOn),
            new BadInput("Get-RunLoggedArtifact -Id fin0001a -Name 'model:vX', model:latest", "WandbArtifactNotFound,", ErrorCategory.ObjectNotFound, "model:vX", CarriesOn, Without: "Get-RunLoggedArtifact -Id fin0001a -Name model:latest"),
            new BadInput("Get-RunLoggedArtifact " + Api + " -Id fin0001a -Name nope:latest", "WandbArtifactNotFound,", ErrorCategory.ObjectNotFound, "nope:latest", CarriesOn),

            // Server address, proxy, transport settings
            new BadInput("Get-WandbRun -Project acme-ml/mnist-sweep -ApiKey $key -BaseUrl 'ftp://x'", "WandbInvalidArgument,", ErrorCategory.InvalidArgument, "ftp://x", Ends),
            new BadInput("Get-WandbRun -Project acme-ml/mnist-sweep -ApiKey $key -BaseUrl 'not a url'", "WandbInvalidArgument,", ErrorCategory.InvalidArgument, "not a url", Ends),
            new BadInput("Get-WandbRun -Project acme-ml/mnist-sweep -ApiKey $key -BaseUrl ''", Validation, ErrorCategory.InvalidData, null, Ends),
            new BadInput("Connect-Wandb -Project x -ApiKey $key -BaseUrl 'ftp://x'", "WandbInvalidArgument,", ErrorCategory.InvalidArgument, "ftp://x", Ends),
            new BadInput("Get-WandbRun " + Api + " -Proxy 'ftp://x'", "WandbInvalidArgument,", ErrorCategory.InvalidArgument, "ftp://x", Ends),
            new BadInput("Get-WandbRun " + Api + " -Proxy 'not a url'", "WandbInvalidArgument,", ErrorCategory.InvalidArgument, "not a url", Ends),
            new BadInput("Get-WandbRun " + Api + " -Proxy ''", "WandbInvalidArgument,", ErrorCategory.InvalidArgument, "", Ends),
            new BadInput("Get-RunHistory " + Api + " -Id fin0001a -Proxy 'ftp://x'", "WandbInvalidArgument,", ErrorCategory.InvalidArgument, "ftp://x", Ends),
            new BadInput("Connect-Wandb " + Server + " -Proxy 'ftp://x'", "WandbInvalidArgument,", ErrorCategory.InvalidArgument, "ftp://x", Ends),
            new BadInput("Get-WandbRun -Project acme-ml/mnist-sweep -BaseUrl $url -ApiKey $null", Validation, ErrorCategory.InvalidData, null, Ends),
            new BadInput("Get-WandbRun " + Api + " -TimeoutSec 0", Validation, ErrorCategory.InvalidData, null, Ends),
            new BadInput("Get-WandbRun " + Api + " -MaximumRetryCount -1", Validation, ErrorCategory.InvalidData, null, Ends),
            new BadInput("Get-WandbRun " + Api + " -RetryIntervalSec -1", Validation, ErrorCategory.InvalidData, null, Ends),

            // Malformed wildcards (an unclosed '[', so also '[]'; a backwards range): refused as PowerShell's WildcardPattern refuses them
            new BadInput("Get-WandbRun -Id '[]'", "WandbInvalidArgument,", ErrorCategory.InvalidArgument, "[]", Ends),
            new BadInput("Get-WandbRun -Name 'a[b-a]'", "WandbInvalidArgument,", ErrorCategory.InvalidArgument, "a[b-a]", Ends),
            new BadInput("Get-WandbRun " + Api + " -Id 'fin[0001a'", "WandbInvalidArgument,", ErrorCategory.InvalidArgument, "fin[0001a", Ends),
            new BadInput("Get-WandbRun -Where { $_.Name -like '[]' }", "WandbInvalidArgument,", ErrorCategory.InvalidArgument, "[]", Ends),
            new BadInput("Get-RunConfig -Key '[]'", "WandbInvalidArgument,", ErrorCategory.InvalidArgument, "[]", Ends),
            new BadInput("Get-RunConfig -Id 'a[b-a]'", "WandbInvalidArgument,", ErrorCategory.InvalidArgument, "a[b-a]", Ends),
            new BadInput("Get-RunSummary -Key 'a[b-a]'", "WandbInvalidArgument,", ErrorCategory.InvalidArgument, "a[b-a]", Ends),
            new BadInput("Get-RunHistory -Id fin0001a -Key '[]'", "WandbInvalidArgument,", ErrorCategory.InvalidArgument, "[]", Ends),
            new BadInput("Measure-RunRuntime -Id '[]'", "WandbInvalidArgument,", ErrorCategory.InvalidArgument, "[]", Ends),
            new BadInput("Compare-RunConfig -ReferenceRun '[]' -DifferenceRun fin0002b", "WandbInvalidArgument,", ErrorCategory.InvalidArgument, "[]", Ends),
            new BadInput("Get-RunLoggedArtifact -Id fin0001a -Name '[]'", "WandbInvalidArgument,", ErrorCategory.InvalidArgument, "[]", Ends),
            new BadInput("Get-RunUsedArtifact -Id fin0001a -Name 'a[b-a]:latest'", "WandbInvalidArgument,", ErrorCategory.InvalidArgument, "a[b-a]:latest", Ends),
            new BadInput("Set-WandbRun -Id fin0001a -AddTag ok, ('t' * 65)", "WandbInvalidArgument,", ErrorCategory.InvalidArgument, new string('t', 65), Ends),
            new BadInput("Set-WandbRun -Id fin0001a -Notes x -Config @{ bad = { 1 } }", "WandbInvalidArgument,", ErrorCategory.InvalidArgument, "-Config", Ends),
            new BadInput("Stop-WandbRun -Id nope0000 -Confirm:$false", "WandbRunNotFound,", ErrorCategory.ObjectNotFound, "nope0000", CarriesOn),
            new BadInput("Remove-WandbRun -Id nope0000 -Confirm:$false", "WandbRunNotFound,", ErrorCategory.ObjectNotFound, "nope0000", CarriesOn),
            new BadInput("Wait-WandbRun -Id nope0000, fin0001a", "WandbRunNotFound,", ErrorCategory.ObjectNotFound, "nope0000", CarriesOn, Outputs: 1),
            new BadInput("Wait-WandbRun -Id fin0001a -PollIntervalSec 0", Validation, ErrorCategory.InvalidData, null, Ends),

            // Sweeps and projects: an id or name without wildcards that does not exist is that item's error
            new BadInput("Get-WandbSweep -Id nope0, swp01 -Metric accuracy", "WandbSweepNotFound,", ErrorCategory.ObjectNotFound, "nope0", CarriesOn, Outputs: 1),
            new BadInput("Get-WandbSweep " + Api + " -Id nope0", "WandbSweepNotFound,", ErrorCategory.ObjectNotFound, "acme-ml/mnist-sweep/nope0", CarriesOn),
            new BadInput("Get-WandbSweep -Id '[]'", "WandbInvalidArgument,", ErrorCategory.InvalidArgument, "[]", Ends),
            new BadInput("Get-WandbSweep -Goal sideways", Validation, ErrorCategory.InvalidData, null, Ends),
            new BadInput("Get-WandbProject -Name nope, mnist-sweep", "WandbProjectNotFound,", ErrorCategory.ObjectNotFound, "nope", CarriesOn, Outputs: 1),
            new BadInput("Get-WandbProject " + Server + " -Entity acme-ml -Name nope", "WandbProjectNotFound,", ErrorCategory.ObjectNotFound, "nope", CarriesOn),
            new BadInput("Get-WandbProject -Entity ''", "WandbInvalidArgument,", ErrorCategory.InvalidArgument, "Entity", Ends),

            // Artifacts by name: a name that names nothing is that name's error; a malformed reference ends the command
            new BadInput("Get-WandbArtifact nope:v1, mnist:v3", "WandbArtifactNotFound,", ErrorCategory.ObjectNotFound, "nope:v1", CarriesOn, Outputs: 1),
            new BadInput("Get-WandbArtifact " + Api + " -Name nope:v1, mnist:v3", "WandbArtifactNotFound,", ErrorCategory.ObjectNotFound, "acme-ml/mnist-sweep/nope:v1", CarriesOn, Outputs: 1),
            new BadInput("Get-WandbArtifact -Name 'a:b:c', 'model:best'", "WandbInvalidArgument,", ErrorCategory.InvalidArgument, "a:b:c", CarriesOn, Outputs: 1),
            new BadInput("Get-WandbArtifact -Reference 'a:b:c', 'acme-ml/mnist-sweep/model:best' " + Server, "WandbInvalidArgument,", ErrorCategory.InvalidArgument, "a:b:c", CarriesOn, Outputs: 1),
            new BadInput("Get-WandbRun " + Api + " -UsedArtifact nope:v1", "WandbArtifactNotFound,", ErrorCategory.ObjectNotFound, "acme-ml/mnist-sweep/nope:v1", Ends),

            // Waiting: the time-out ends the wait for a run still running, which is output as it stands
            new BadInput("Wait-WandbRun -Path '{scratch}/live/wandb' -TimeoutSec 1", "WandbWaitTimeout,", ErrorCategory.OperationTimeout, "{scratch}/live/wandb/run-20260101_020000-live0001", CarriesOn, Outputs: 1),

            // Run files: names, destinations, and a download that does not match what the server says the file is
            new BadInput("Get-RunFile -Id fin0001a -Name ''", Validation, ErrorCategory.InvalidData, null, Ends),
            new BadInput("Get-RunFile -Id fin0001a -Name '[]'", "WandbInvalidArgument,", ErrorCategory.InvalidArgument, "[]", Ends),
            new BadInput("Get-RunFile -Id fin0001a -Name nope.txt, config.yaml", "WandbPathNotFound,", ErrorCategory.ObjectNotFound, "fin0001a/nope.txt", CarriesOn, Without: "Get-RunFile -Id fin0001a -Name config.yaml"),
            new BadInput("Save-RunFile -Id fin0001a -Destination ''", Validation, ErrorCategory.InvalidData, null, Ends),
            new BadInput("Save-RunFile -Id fin0001a -Destination '{scratch}/notes.txt'", "WandbInvalidArgument,", ErrorCategory.InvalidArgument, "{scratch}/notes.txt", Ends),
            new BadInput("Save-RunFile -Id fin0001a -Name 'a[b-a]' -Destination '{scratch}/saved'", "WandbInvalidArgument,", ErrorCategory.InvalidArgument, "a[b-a]", Ends),
            new BadInput("Save-RunFile " + Api + " -Id fin0001a -Destination '{scratch}/cut'", "WandbDigestMismatch,", ErrorCategory.InvalidResult, "{scratch}/cut/config.yaml", CarriesOn, Outputs: 2, FileFault: new TruncatedJsonFault(), FileFaultOn: "config.yaml"),

            // Artifact files: references, destinations, a collection that does not exist, and bytes that fail their digest
            new BadInput("Save-WandbArtifact -Name model:best -Destination ''", Validation, ErrorCategory.InvalidData, null, Ends),
            new BadInput("Save-WandbArtifact -Name model:best -Destination '{scratch}/notes.txt'", "WandbInvalidArgument,", ErrorCategory.InvalidArgument, "{scratch}/notes.txt", Ends),
            new BadInput("Save-WandbArtifact -Reference 'a:b:c', 'acme-ml/mnist-sweep/model:best' " + Server + " -Destination '{scratch}/art-ref'", "WandbInvalidArgument,", ErrorCategory.InvalidArgument, "a:b:c", CarriesOn, Outputs: 2),
            new BadInput("Save-WandbArtifact " + Api + " -Name nope:v1, model:best -Destination '{scratch}/art-nope'", "WandbArtifactNotFound,", ErrorCategory.ObjectNotFound, "acme-ml/mnist-sweep/nope:v1", CarriesOn, Outputs: 2),
            new BadInput("Save-WandbArtifact " + Api + " -Name model:best -Destination '{scratch}/art-cut'", "WandbDigestMismatch,", ErrorCategory.InvalidResult, "{scratch}/art-cut/model.pt", CarriesOn, Outputs: 1, FileFault: new TruncatedJsonFault(), FileFaultOn: "model.pt"),

            // Deep and cyclic arguments, for every parameter that takes a hashtable, an object or a script block (-Filter and
            // -Where; no other cmdlet has one). These rows are deep enough to pass the limit yet too shallow to overflow
            // the stack if the limit were lost, so they run here; the 10,000-deep and the cyclic ones, which would end
            // the process, run in a child PowerShell (HostileArgumentTests).
            new BadInput("$h = @{ state = 'finished' }; 1..300 | ForEach-Object { $h = @{ '$and' = @($h) } }; Get-WandbRun -Filter $h", "WandbInvalidFilter,", ErrorCategory.InvalidArgument, "-Filter", Ends),
            new BadInput("$h = [pscustomobject]@{ state = 'finished' }; 1..300 | ForEach-Object { $h = [pscustomobject]@{ '$or' = @($h) } }; Get-WandbRun -Filter $h", "WandbInvalidFilter,", ErrorCategory.InvalidArgument, "-Filter", Ends),
            new BadInput("$e = '$_.State -eq ''finished'''; 1..200 | ForEach-Object { $e = '($_.Id -eq ''a' + $_ + ''' -or (' + $e + ' -and $_.Name -eq ''n''))' }; Get-WandbRun -Where ([scriptblock]::Create($e))", "WandbInvalidFilter,", ErrorCategory.InvalidArgument, "filter", Ends),

            // Malformed wildcards in -Path: PowerShell resolves them to nothing without a word
            new BadInput("Get-WandbRun -Path '{wandb}/['", "WandbInvalidArgument,", ErrorCategory.InvalidArgument, "{wandb}/[", CarriesOn),
            new BadInput("Get-WandbRun -Path '{wandb}/[]', '{wandb}'", "WandbInvalidArgument,", ErrorCategory.InvalidArgument, "{wandb}/[]", CarriesOn, Without: "Get-WandbRun -Path '{wandb}'"),
            new BadInput("Get-WandbRun -Path '{wandb}/zzz*', '{wandb}'", "WandbPathNotFound,", ErrorCategory.ObjectNotFound, "{wandb}/zzz*", CarriesOn, Without: "Get-WandbRun -Path '{wandb}'"),
            new BadInput("Get-RunSummary -Path '{wandb}/[' -Id fin0001a", "WandbInvalidArgument,", ErrorCategory.InvalidArgument, "{wandb}/[", CarriesOn),
            new BadInput("Get-WandbRun -Id '['", "WandbInvalidArgument,", ErrorCategory.InvalidArgument, "[", Ends),
            new BadInput("Get-WandbRun -Id '[a-'", "WandbInvalidArgument,", ErrorCategory.InvalidArgument, "[a-", Ends),
            new BadInput("Get-WandbRun -Name '['", "WandbInvalidArgument,", ErrorCategory.InvalidArgument, "[", Ends),

            // A hashtable PowerShell turns into a run object: its folder is read, so a run that is not there is not made up
            new BadInput("@{ Id = 'nope0000'; Path = '{wandb}' } | Get-RunSummary", "WandbRunNotFound,", ErrorCategory.ObjectNotFound, "nope0000", CarriesOn),
            new BadInput("@{ Id = 'nope0000'; Path = '{wandb}' }, @{ Id = 'fin0001a'; Path = '{wandb}' } | Get-RunConfig", "WandbRunNotFound,", ErrorCategory.ObjectNotFound, "nope0000", CarriesOn, Outputs: 1),

            // The last line of defence: a run object the module never made (no config, no summary) fails unexpectedly
            // inside the cmdlet; that run gets a catalogue error and the next run is still handled.
            new BadInput(Broken + " | Get-RunConfig", "WandbInvalidArgument,", ErrorCategory.InvalidArgument, "broken01", CarriesOn, Outputs: 1),
            new BadInput(Broken + " | Get-RunSummary", "WandbInvalidArgument,", ErrorCategory.InvalidArgument, "broken01", CarriesOn, Outputs: 1),

            // Changing runs: a local run is a record (each run refused, nothing written, the others go on); a request no
            // run could take ends the command before anything is read; a run that is not there is that run's error.
            new BadInput("Set-WandbRun -Path '{scratch}/damaged/wandb' -Id good0001 -AddTag checked", "WandbReadOnlySource,", ErrorCategory.InvalidOperation, "{scratch}/damaged/wandb/run-20260101_010000-good0001", CarriesOn),
            new BadInput("Stop-WandbRun -Path '{scratch}/damaged/wandb' -Id good0001", "WandbReadOnlySource,", ErrorCategory.InvalidOperation, "{scratch}/damaged/wandb/run-20260101_010000-good0001", CarriesOn),
            new BadInput("Set-WandbRun -Id fin0001a -Tag a -AddTag b", "WandbInvalidArgument,", ErrorCategory.InvalidArgument, null, Ends),
            new BadInput("Set-WandbRun -Id fin0001a -AddTag ''", "WandbInvalidArgument,", ErrorCategory.InvalidArgument, "", Ends),
            new BadInput("Set-WandbRun " + Api + " -Id fin0001a -Config @{ step = { 1 } }", "WandbInvalidArgument,", ErrorCategory.InvalidArgument, "-Config", Ends),

            // Keys and servers that do not work
            new BadInput("Get-WandbRun -Project acme-ml/mnist-sweep -BaseUrl $url", "WandbApiKeyMissing,", ErrorCategory.AuthenticationError, "{url}/", Ends),
            new BadInput("Get-WandbRun -Project acme-ml/mnist-sweep -BaseUrl $url -ApiKey $badKey", "WandbAuthenticationFailed,", ErrorCategory.AuthenticationError, "{url}/graphql", Ends),
            new BadInput("Connect-Wandb -BaseUrl $url -ApiKey $badKey", "WandbAuthenticationFailed,", ErrorCategory.AuthenticationError, "{url}/graphql", Ends),
            new BadInput("Get-WandbRun " + Api + " -MaximumRetryCount 1 -RetryIntervalSec 0", "WandbRateLimited,", ErrorCategory.LimitsExceeded, "{url}/graphql", Ends, Fault: new StatusFault(429, "{\"error\":\"rate limit exceeded\"}", RetryAfter: "0")),
            new BadInput("Get-WandbRun " + Api + " -MaximumRetryCount 0", "WandbProtocolError,", ErrorCategory.ProtocolError, "{url}/graphql", Ends, Fault: new HtmlErrorFault(404)),
            new BadInput("Get-WandbRun -Project acme-ml/mnist-sweep -ApiKey $key -BaseUrl http://127.0.0.1:1 -MaximumRetryCount 0", "WandbConnectionFailed,", ErrorCategory.ConnectionError, "http://127.0.0.1:1/graphql", Ends),
            new BadInput("Get-WandbRun -Project acme-ml/mnist-sweep -ApiKey $key -BaseUrl http://wandb.example.com", "WandbInsecureConnection,", ErrorCategory.SecurityError, "http://wandb.example.com/", Ends),
        };

        private readonly Setting _setting;

        public BadInputCatalogueTests(Setting setting) => _setting = setting;

        public static IEnumerable<object[]> Rows => Catalogue.Select(row => new object[] { row.Command });

        [Theory]
        [MemberData(nameof(Rows))]
        public void BadInputGivesItsCataloguedError(string command)
        {
            BadInput row = Catalogue.Single(r => r.Command == command);
            Outcome outcome = _setting.Run(row.Command, row.Fault, row.FileFault, row.FileFaultOn);
            string where = " (" + command + ")";

            Assert.True(outcome.Errors.Count > 0, "no error" + where);
            foreach (ErrorRecord each in outcome.Errors)
            {
                Assert.True(each.FullyQualifiedErrorId.StartsWith(row.IdPrefix, StringComparison.Ordinal), each.FullyQualifiedErrorId + ": " + each.Exception.Message + where);
                Assert.Equal(row.Category, each.CategoryInfo.Category);
                Assert.Equal(_setting.Expand(row.Target), Text(each.TargetObject));
            }

            Assert.True(row.Terminating == outcome.Terminated, (outcome.Terminated ? "ended" : "carried on") + where);
            int expectedOutputs = row.Without is null ? row.Outputs : _setting.Run(row.Without, null).Output;
            Assert.True(expectedOutputs == outcome.Output, "output " + outcome.Output + ", expected " + expectedOutputs + where);
            if (row.Without is not null)
            {
                Assert.True(expectedOutputs > 0, "the command without the bad item outputs nothing" + where);
            }
        }

        /// <summary>
        /// Every cmdlet of the module with parameters has rows, and every row's error id is a catalogue id or one of
        /// PowerShell's own binder ids: no raw .NET exception id is ever an expected outcome.
        /// </summary>
        [Fact]
        public void EveryCmdletIsCoveredAndNoRowExpectsARawId()
        {
            string[] binderIds = { "ParameterArgumentValidationError,", "CannotConvertArgumentNoMessage,", "InputObjectNotBound,", "MissingMandatoryParameter," };
            Assert.All(Catalogue, row => Assert.True(
                row.IdPrefix.StartsWith("Wandb", StringComparison.Ordinal) && Enum.IsDefined(typeof(WandbErrorKind), row.IdPrefix.Substring(5).TrimEnd(',')) || binderIds.Contains(row.IdPrefix),
                row.IdPrefix + " (" + row.Command + ")"));

            using var ps = new ModuleRunspace();
            string[] cmdlets = ps.Run("Get-Command -Module WandbRunOps -CommandType Cmdlet | Where-Object { $_.Parameters.Keys | Where-Object { $_ -notin [System.Management.Automation.Cmdlet]::CommonParameters } } | ForEach-Object Name")
                .ThrowOnError().Output.Select(o => o.ToString()).ToArray();
            Assert.NotEmpty(cmdlets);
            Assert.DoesNotContain(cmdlets, name => !Catalogue.Any(row => row.Command.Contains(name + " ", StringComparison.Ordinal)));
        }

        [Fact]
        public void EveryErrorKindIsInTheCatalogue()
        {
            // WandbPermissionDenied needs file modes that apply: these tests run as root in this process, which reads
            // everything, so its rows are PermissionDeniedTests', in a child pwsh without the capabilities that bypass them.
            string[] elsewhere = { "Wandb" + WandbErrorKind.PermissionDenied };
            IEnumerable<string> ids = Catalogue.Select(r => r.IdPrefix.TrimEnd(',')).Concat(elsewhere);
            Assert.Empty(Enum.GetNames(typeof(WandbErrorKind)).Select(k => "Wandb" + k).Except(ids));
        }

        private static string? Text(object? target) => target switch
        {
            null => null,
            PSObject wrapped => Text(wrapped.BaseObject),
            IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
            _ => target.ToString(),
        };

        /// <summary>One row: the command line, the error id prefix, category and target, and whether the statement ends.</summary>
        /// <param name="Without">The same command without the bad item: the row outputs what it outputs.</param>
        /// <param name="Outputs">The objects still output when there is no <paramref name="Without"/>.</param>
        /// <param name="Fault">A fault the loopback server answers the command's requests with.</param>
        /// <param name="FileFault">A fault the loopback server answers file downloads with (those whose path contains <paramref name="FileFaultOn"/>).</param>
        /// <param name="FileFaultOn">Which files <paramref name="FileFault"/> is for.</param>
        public sealed record BadInput(
            string Command, string IdPrefix, ErrorCategory Category, string? Target, bool Terminating, string? Without = null, int Outputs = 0, Fault? Fault = null,
            Fault? FileFault = null, string? FileFaultOn = null);

        /// <summary>What a command did: its output count, its errors (the one that ended it included), and whether one ended it.</summary>
        public sealed record Outcome(int Output, List<ErrorRecord> Errors, bool Terminated);

        /// <summary>The samples, the loopback server, the scratch folders and one runspace, in a clean environment (no key but -ApiKey).</summary>
        public sealed class Setting : IDisposable
        {
            private readonly EnvironmentScope _environment;
            private readonly ApiSamples _api = new ApiSamples();
            private readonly ModuleRunspace _ps;
            private readonly string _scratch;

            public Setting()
            {
                _scratch = _api.Samples.Scratch("bad");
                _environment = EnvironmentScope.Clean().Set("NETRC", Path.Combine(_scratch, "no-netrc")).Set("WANDB_CONFIG_DIR", Path.Combine(_scratch, "no-config"));
                Directory.CreateDirectory(Path.Combine(_scratch, "empty"));
                File.WriteAllText(Path.Combine(_scratch, "notes.txt"), "not a run");

                // A wandb folder with one good run and one whose folder has nothing readable.
                string damaged = Path.Combine(_scratch, "damaged", "wandb");
                string broken = Path.Combine(damaged, "run-20260101_000000-dmg00001");
                Directory.CreateDirectory(broken);
                File.WriteAllBytes(Path.Combine(broken, "run-dmg00001.wandb"), new byte[] { 1, 2, 3 });
                RunFolderWriter.Write(damaged, new RunFolderSpec
                {
                    RunId = "good0001",
                    FolderTime = new DateTime(2026, 1, 1, 1, 0, 0, DateTimeKind.Utc),
                    Records = new[] { Records.Header("0.22.1"), Records.Exit(0, 1) },
                });

                // A run being written now (no exit record, a record from this minute): Running while the tests run.
                DateTime now = DateTime.UtcNow;
                RunFolderWriter.Write(Path.Combine(_scratch, "live", "wandb"), new RunFolderSpec
                {
                    RunId = "live0001",
                    FolderTime = new DateTime(2026, 1, 1, 2, 0, 0, DateTimeKind.Utc),
                    Records = new[] { Records.Header("0.22.1"), Records.Run(new RunSpec { RunId = "live0001", Project = "p", StartTime = now.AddMinutes(-1) }), LogBuilder.History(0, now, 1) },
                    LogLastWriteUtc = now,
                });

                _ps = _api.Runspace();
                _ps.SetVariable("badKey", ApiSamples.Secure("local-wrong0123456789abcdef0123456789abcdef012"));
            }

            public string? Expand(string? text) => text?
                .Replace("{wandb}", _api.Samples.Wandb, StringComparison.Ordinal)
                .Replace("{scratch}", _scratch, StringComparison.Ordinal)
                .Replace("{url}", _api.Server.BaseUrl, StringComparison.Ordinal);

            /// <summary>
            /// Runs a command from the samples' project folder. A statement-ending error is caught by the try/catch
            /// around it (non-terminating ones are not), which tells the two apart as a script sees them.
            /// </summary>
            public Outcome Run(string command, Fault? fault, Fault? fileFault = null, string? fileFaultOn = null)
            {
                _ps.SetLocation(_api.Samples.ProjectFolder);
                _api.Server.Faults.Clear();
                _api.Server.FileFaults.Clear();
                if (fault is not null)
                {
                    _api.Server.Faults.Enqueue(fault, 10);
                }

                if (fileFault is not null)
                {
                    _api.Server.FileFaults.Enqueue(fileFault, 10, new FaultTarget(VariablesContain: fileFaultOn));
                }

                ScriptResult result = _ps.Run("$global:ended = $null; try { " + Expand(command) + " } catch { $global:ended = $_ }");
                _api.Server.Faults.Clear();
                _api.Server.FileFaults.Clear();
                if (result.Terminating is not null)
                {
                    throw new InvalidOperationException("the script itself failed: " + command, result.Terminating);
                }

                var errors = new List<ErrorRecord>(result.Errors);
                ErrorRecord? ended = _ps.Run("$global:ended").Output.Where(o => o is not null).Select(o => o.BaseObject).OfType<ErrorRecord>().SingleOrDefault();
                if (ended is not null)
                {
                    errors.Add(ended);
                }

                return new Outcome(result.Output.Count, errors, ended is not null);
            }

            public void Dispose()
            {
                _ps.Dispose();
                _api.Dispose();
                _environment.Dispose();
            }
        }
    }
}
