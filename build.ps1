<#
.SYNOPSIS
    Builds, tests, tries and packages the WandbRunOps module.

.DESCRIPTION
    The PowerShell entry point over the repository's steps. On a fresh machine with only the .NET SDK:

        dotnet tool restore && dotnet pwsh ./build.ps1 -Task Test     # every test; .ci/run calls exactly this
        dotnet tool restore && dotnet pwsh ./build.ps1 -Task Shell    # the module imported in a new PowerShell

    `dotnet tool restore` installs the PowerShell pinned in .config/dotnet-tools.json; Pester comes from NuGet
    through tests/PesterModule (no Install-Module). The same script runs under Windows PowerShell 5.1 and any
    PowerShell 7.4+ (`powershell -File build.ps1 -Task Test`, `pwsh -File build.ps1 -Task Test`): the Pester files
    then run in that PowerShell.

    Build    dotnet build -c Release: lays out the importable module in out/WandbRunOps (help compiled in from
             docs/en-US by tools/WandbRunOps.HelpBuilder, the one help compiler; no PlatyPS needed).
    Test     Build, then the xunit suite (dotnet test) and every Pester file (tests/*.Tests.ps1 and
             examples/runbooks/*.Tests.ps1) in a fresh process of this same PowerShell, even when xunit failed.
             Ends with one line for all of them: "N passed, N failed, N skipped"; exits 1 when anything failed.
    Shell    Build, then a new process of this same PowerShell with the module imported, in the repository root
             (the README's tour starts with `Set-Location ./samples`). With -Command, runs that instead and exits.
    Package  A zip of out/WandbRunOps.

.EXAMPLE
    dotnet tool restore && dotnet pwsh ./build.ps1 -Task Test

.EXAMPLE
    dotnet pwsh ./build.ps1 -Task Shell -Command 'Set-Location ./samples; Get-WandbRun | Format-Table'
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Shell', 'Package')]
    [string[]] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Shell only: a command to run with the module imported, instead of an interactive session.
    [string] $Command,

    # Test only: how much Pester prints (Normal shows each failure; Detailed every test).
    [ValidateSet('None', 'Normal', 'Detailed', 'Diagnostic')]
    [string] $PesterVerbosity = 'Normal'
)

$ErrorActionPreference = 'Stop'
# The tests and the bench talk to their loopback server and nothing else: PowerShell's and the .NET CLI's own
# telemetry are switched off for every process this script starts (Pester's PowerShell, dotnet build and test, the
# engine the xunit tests host), so nothing is sent off the machine.
$env:POWERSHELL_TELEMETRY_OPTOUT = '1'
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$root = $PSScriptRoot
$solution = Join-Path $root 'WandbRunOps.sln'
$moduleFolder = Join-Path (Join-Path $root 'out') 'WandbRunOps'
$moduleManifest = Join-Path $moduleFolder 'WandbRunOps.psd1'
$resultsFolder = Join-Path (Join-Path $root 'out') 'TestResults'
. (Join-Path (Join-Path $root 'tools') 'PowerShellProcess.ps1')

function Invoke-Dotnet {
    # Runs dotnet with its output on the console; returns its exit code (the caller decides what a failure ends).
    param([Parameter(ValueFromRemainingArguments = $true)][string[]] $Arguments)
    Write-Verbose ('dotnet ' + ($Arguments -join ' '))
    & dotnet @Arguments | Out-Host
    $LASTEXITCODE
}

function Invoke-Build {
    $code = Invoke-Dotnet build $solution -c $Configuration
    if ($code -ne 0) { throw "dotnet build -c $Configuration failed (exit code $code)." }
}

function Get-PesterManifest {
    # tests/PesterModule restores the pinned Pester into the NuGet package folder; its assets file says where that is.
    $project = Join-Path (Join-Path $root 'tests') 'PesterModule'
    $code = Invoke-Dotnet restore $project --verbosity quiet
    if ($code -ne 0) { throw "dotnet restore $project failed (exit code $code): Pester could not be fetched from NuGet." }

    $assets = Get-Content -LiteralPath (Join-Path (Join-Path $project 'obj') 'project.assets.json') -Raw | ConvertFrom-Json
    $version = ([xml](Get-Content -LiteralPath (Join-Path $project 'PesterModule.csproj') -Raw)).Project.PropertyGroup.PesterVersion
    foreach ($folder in $assets.packageFolders.PSObject.Properties.Name) {
        $manifest = Join-Path $folder ("pester/$version/tools/Pester.psd1")
        if (Test-Path -LiteralPath $manifest -PathType Leaf) { return $manifest }
    }
    throw "Pester $version was restored, but no Pester.psd1 was found under the package folders $($assets.packageFolders.PSObject.Properties.Name -join ', ')."
}

function Read-XunitCounts {
    # vstest's trx file: <Counters passed=… failed=… notExecuted=…> (skipped tests are "not executed").
    param([string] $TrxPath)
    if (-not (Test-Path -LiteralPath $TrxPath -PathType Leaf)) { return $null }
    $counters = ([xml](Get-Content -LiteralPath $TrxPath -Raw)).TestRun.ResultSummary.Counters
    [pscustomobject]@{
        Passed  = [int]$counters.passed
        Failed  = [int]$counters.failed + [int]$counters.error + [int]$counters.timeout + [int]$counters.aborted
        Skipped = [int]$counters.notExecuted
    }
}

function Invoke-Tests {
    Invoke-Build
    if (Test-Path -LiteralPath $resultsFolder) { Remove-Item -LiteralPath $resultsFolder -Recurse -Force }
    $null = New-Item -ItemType Directory -Path $resultsFolder

    Write-Host 'xunit: dotnet test' -ForegroundColor Cyan
    $xunitCode = Invoke-Dotnet test $solution -c $Configuration --no-build --logger 'trx;LogFileName=xunit.trx' --results-directory $resultsFolder
    $xunit = Read-XunitCounts (Join-Path $resultsFolder 'xunit.trx')

    # Pester runs whatever xunit said: one failure must not hide the other suite's answer.
    $shell = Get-PowerShellCommand
    $pesterResult = Join-Path $resultsFolder 'pester.json'
    Write-Host ("Pester: every *.Tests.ps1 in $($shell.FilePath) $($shell.Arguments -join ' ')") -ForegroundColor Cyan
    $arguments = @($shell.Arguments) + @('-NoProfile', '-NonInteractive', '-File', (Join-Path (Join-Path $root 'tools') 'Invoke-PesterSuite.ps1'),
        '-PesterManifest', (Get-PesterManifest), '-ResultPath', $pesterResult, '-Verbosity', $PesterVerbosity)
    & $shell.FilePath @arguments | Out-Host
    $pesterCode = $LASTEXITCODE
    $pester = if (Test-Path -LiteralPath $pesterResult) { Get-Content -LiteralPath $pesterResult -Raw | ConvertFrom-Json } else { $null }

    $problems = @()
    if ($null -eq $xunit) { $problems += "dotnet test left no results (exit code $xunitCode)" }
    elseif ($xunitCode -ne 0 -and $xunit.Failed -eq 0) { $problems += "dotnet test failed (exit code $xunitCode) with no failed test" }
    if ($null -eq $pester) { $problems += "the Pester run left no results (exit code $pesterCode)" }

    $passed = 0; $failed = 0; $skipped = 0
    foreach ($suite in @(@{ Name = 'xunit'; Counts = $xunit }, @{ Name = 'Pester'; Counts = $pester })) {
        if ($null -ne $suite.Counts) {
            Write-Host ("{0}: {1} passed, {2} failed, {3} skipped" -f $suite.Name, $suite.Counts.Passed, $suite.Counts.Failed, $suite.Counts.Skipped)
            $passed += $suite.Counts.Passed; $failed += $suite.Counts.Failed; $skipped += $suite.Counts.Skipped
        }
    }
    foreach ($problem in $problems) { Write-Host "Also failed: $problem." -ForegroundColor Red }
    # A suite that could not run at all counts as one failure in the total.
    $failed += $problems.Count
    Write-Host ("{0} passed, {1} failed, {2} skipped" -f $passed, $failed, $skipped)
    $failed -eq 0
}

foreach ($step in $Task) {
    switch ($step) {
        'Build' {
            Invoke-Build
        }
        'Test' {
            if (-not (Invoke-Tests)) { exit 1 }
        }
        'Shell' {
            Invoke-Build
            $shell = Get-PowerShellCommand
            $import = "Import-Module -Name '$($moduleManifest -replace "'", "''")'; Set-Location -LiteralPath '$($root -replace "'", "''")'"
            if ($Command) {
                & $shell.FilePath @(@($shell.Arguments) + @('-NoProfile', '-Command', "$import; $Command"))
            }
            else {
                $greeting = "Write-Host 'WandbRunOps is imported. Try the README tour: Set-Location ./samples; Get-WandbRun' -ForegroundColor Cyan"
                & $shell.FilePath @(@($shell.Arguments) + @('-NoProfile', '-NoExit', '-Command', "$import; $greeting"))
            }
            if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
        }
        'Package' {
            if (-not (Test-Path (Join-Path $moduleFolder 'WandbRunOps.psd1'))) {
                throw "Build first: $moduleFolder has no manifest."
            }
            $version = (Import-PowerShellDataFile (Join-Path $moduleFolder 'WandbRunOps.psd1')).ModuleVersion
            $zip = Join-Path $root "out/WandbRunOps.$version.zip"
            Compress-Archive -Path $moduleFolder -DestinationPath $zip -Force
            Write-Host "Packaged $zip"
        }
    }
}
