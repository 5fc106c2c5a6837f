# Shared set-up for the Pester tests. Each *.Tests.ps1 dot-sources this file in its BeforeAll:
#
#     BeforeAll {
#         . $PSScriptRoot/common.ps1
#         $script:wandb = New-SampleRuns -Path (Join-Path $TestDrive 'samples')
#     }
#
# It imports the module the way a user does, from the built module folder (out/WandbRunOps), and writes fresh
# sample runs with the project's own sample writer (tests/WandbRunOps.Testing). Works on PowerShell 7.4+ and
# Windows PowerShell 5.1.

$WandbRunOpsRepoRoot = Split-Path -Parent $PSScriptRoot
$WandbRunOpsManifest = Join-Path (Join-Path (Join-Path $WandbRunOpsRepoRoot 'out') 'WandbRunOps') 'WandbRunOps.psd1'

if (-not (Test-Path -LiteralPath $WandbRunOpsManifest -PathType Leaf)) {
    throw "The WandbRunOps module is not built: '$WandbRunOpsManifest' is missing. Run 'dotnet build -c Release' in '$WandbRunOpsRepoRoot' first, then run the tests again."
}

Import-Module -Name $WandbRunOpsManifest -ErrorAction Stop

function New-SampleRuns {
    <#
    .SYNOPSIS
    Writes a fresh copy of the sample runs under -Path and returns the path of the wandb folder it wrote.

    .DESCRIPTION
    Runs the sample writer with --now, so every sample time is relative to the current UTC second: live006f was
    active just now (it reads as Running for the next few minutes) and "created 6 days ago" holds for fin0001a.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory = $true)]
        [string] $Path
    )

    $wandbFolder = Join-Path $Path 'wandb'
    $writerProject = Join-Path (Join-Path $WandbRunOpsRepoRoot 'tests') 'WandbRunOps.Testing'
    $writerOutput = & dotnet run --project $writerProject -c Release -- write-samples $wandbFolder --now
    if ($LASTEXITCODE -ne 0) {
        throw ("Writing the sample runs failed: 'dotnet run --project $writerProject -c Release -- write-samples $wandbFolder --now' exited with code $LASTEXITCODE.`n" + ($writerOutput -join "`n"))
    }

    if (-not (Test-Path -LiteralPath $wandbFolder -PathType Container)) {
        throw "The sample writer reported success but '$wandbFolder' does not exist."
    }

    $wandbFolder
}
