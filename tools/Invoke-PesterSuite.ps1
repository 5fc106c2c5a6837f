<#
.SYNOPSIS
    Runs every Pester file of the repository (tests/*.Tests.ps1 and examples/runbooks/*.Tests.ps1) with the Pester
    module at -PesterManifest, and writes the counts to -ResultPath as JSON.

.DESCRIPTION
    build.ps1 -Task Test starts this script in a fresh process of the same PowerShell (so the module and the tests
    load the freshly built assemblies, and nothing the tests import stays in the build's session). The counts go to
    a file rather than the output stream, so that nothing a test writes can be mistaken for them.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)]
    [string] $PesterManifest,

    [Parameter(Mandatory = $true)]
    [string] $ResultPath,

    [ValidateSet('None', 'Normal', 'Detailed', 'Diagnostic')]
    [string] $Verbosity = 'Normal'
)

$ErrorActionPreference = 'Stop'
$root = Split-Path -Parent $PSScriptRoot
Import-Module -Name $PesterManifest -Force

$files = @(
    Get-ChildItem -Path (Join-Path $root 'tests') -Filter '*.Tests.ps1' -File
    Get-ChildItem -Path (Join-Path (Join-Path $root 'examples') 'runbooks') -Filter '*.Tests.ps1' -File
) | ForEach-Object { $_.FullName }

$configuration = New-PesterConfiguration
$configuration.Run.Path = [string[]] $files
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = $Verbosity
$configuration.TestResult.Enabled = $true
$configuration.TestResult.OutputFormat = 'NUnitXml'
$configuration.TestResult.OutputPath = [System.IO.Path]::ChangeExtension($ResultPath, '.xml')

$result = Invoke-Pester -Configuration $configuration

# A file that does not parse, or a BeforeAll/AfterAll that fails, is a failure of its own beside the tests' (Pester
# lists them apart), so that a broken file can never pass as "0 failed".
[pscustomobject]@{
    Passed  = $result.PassedCount
    Failed  = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
    Skipped = $result.SkippedCount + $result.NotRunCount
    Files   = $files.Count
} | ConvertTo-Json | Set-Content -LiteralPath $ResultPath -Encoding UTF8
